// End-to-end tests of the postgresql engine: the real holdfast executable and plugins of the
// build tree, a real repository, and real PostgreSQL servers started by the tests
// (support/postgres_cluster.hpp). The contract under test is docs/engines/postgresql.md.
//
// Tests share one cluster per test program (postgres_cluster::shared()), so each uses its own
// database names. Every test ends by checking that no temporary database
// (`*_holdfast_*`, `holdfast_drill_*`) and no temporary file in $TMPDIR was left behind.
#pragma once

#include "cli_fixture.hpp"
#include "postgres_cluster.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace holdfast::testing::postgresql {

using checksums = std::map<std::string, table_checksum>;

// The roles (wide_roles.sql, once per cluster) and a new database `db` holding the wide
// schema (wide_schema.sql).
void load_wide(const postgres_cluster& cluster, const std::string& db);

// Adds to `db` two tables whose dump cannot be restored: a CHECK constraint calls a function
// that looks rows up in another table, which pg_restore fills only later (tables' data is
// restored in name order), so the first COPY after most of the data fails. Real databases
// have this; pg_dump cannot see the dependency.
void add_unrestorable_tables(const postgres_cluster& cluster, const std::string& db);

// Databases of the cluster whose names contain `part`.
std::vector<std::string> databases_containing(const postgres_cluster& cluster, const std::string& part);

// Tests that talk to the shared cluster directly, without holdfast; they skip, saying why,
// when no PostgreSQL server is installed.
class postgres_server_test : public ::testing::Test {
protected:
    void SetUp() override {
        if (!postgres_cluster::available()) GTEST_SKIP() << postgres_cluster::unavailable_reason();
    }
    static postgres_cluster& cluster() { return postgres_cluster::shared(); }
};

class postgresql_cli : public holdfast::pipeline::testing::cli_test {
protected:
    using env = std::map<std::string, std::optional<std::string>>;

    void SetUp() override;
    void TearDown() override;

    postgres_cluster& cluster() const { return *cluster_; }

    // Adds a source to holdfast.yaml (rewritten with every source so far): engine
    // postgresql, `url` a keyword string for the cluster's socket as postgres (or `url` as
    // given), `databases` when not empty, and `extra` settings lines (YAML, indented by 6).
    void add_source(const std::string& name, const postgres_cluster& cluster, const std::vector<std::string>& databases,
                    const std::string& extra = "");
    void add_source_with_url(const std::string& name, const std::string& url, const std::vector<std::string>& databases,
                             const std::string& extra = "");

    // holdfast with the test's configuration and repository; PG* variables removed, $TMPDIR
    // an empty directory of the test, and `extra` on top.
    process_result hf(std::vector<std::string> args, const env& extra = {}) const;
    // The same, failing the test unless it exits 0.
    process_result hf_ok(std::vector<std::string> args, const env& extra = {}) const;
    process_options hf_environment(const env& extra = {}) const;

    // `holdfast snapshots --json`.
    nlohmann::json snapshots_json() const;
    // The newest snapshot of a source (its full id), failing the test when there is none.
    std::string latest_snapshot(const std::string& source) const;
    // One snapshot's entry of `snapshots --json`.
    nlohmann::json snapshot_entry(const std::string& id) const;
    // The {"type": "result"} line of a --json run (an empty object when there is none), and
    // the engine's report in it (likewise).
    static nlohmann::json result_line(const std::string& out);
    static nlohmann::json report_of(const std::string& out);

    // Backs the source up, then returns its newest snapshot's id.
    std::string backup(const std::string& source, std::vector<std::string> extra_args = {}) const;

    const std::filesystem::path& tmp() const { return tmp_; }

private:
    postgres_cluster* cluster_ = nullptr;
    std::filesystem::path tmp_;
    std::string sources_;
};

// Output and error output together, for message checks.
inline std::string all_output(const process_result& r) { return r.out + "\n" + r.err; }

}  // namespace holdfast::testing::postgresql
