// Restore drills: `holdfast verify <snapshot> --restore-test` restores into a scratch
// database (or a scratch cluster made with `scratch_initdb`), compares every table's row
// count with the snapshot's metadata, drops the scratch space, and records a proof that
// `holdfast snapshots` shows (docs/engines/postgresql.md, Restore drills).
#include "postgresql_cli_fixture.hpp"

#include <unistd.h>

namespace holdfast::testing::postgresql {
namespace {

using postgresql_drill = postgresql_cli;

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// Scratch databases of drills created on this server so far, from its log (the tests set
// log_statement = 'ddl' for postgres, the role the engine connects as).
std::size_t scratch_databases_created(const postgres_cluster& pg) {
    const auto log = pg.server_log();
    return occurrences(log, "CREATE DATABASE \"holdfast_drill_") + occurrences(log, "CREATE DATABASE holdfast_drill_");
}

TEST_F(postgresql_drill, ADrillPassesInAScratchDatabaseLeavesTheSourceAloneAndIsRecorded) {
    auto& pg = cluster();
    // The server logs the DDL of the engine's sessions: where the scratch database was made.
    pg.exec("postgres", "ALTER ROLE postgres SET log_statement = 'ddl'");
    load_wide(pg, "drill_db");
    const auto sums = pg.table_checksums("drill_db");
    add_source("pg", pg, {"drill_db"});
    init_repository();
    const auto id = backup("pg");
    EXPECT_EQ(snapshot_entry(id)["proofs"], nlohmann::json::array());

    const auto drill = hf_ok({"verify", id, "--restore-test", "--json"});
    const auto result = result_line(drill.out);
    ASSERT_TRUE(result.contains("type")) << drill.out;
    EXPECT_EQ(result.value("passed", false), true) << drill.out;
    const auto report = report_of(drill.out);
    EXPECT_EQ(report.value("passed", false), true) << report.dump(2);
    ASSERT_TRUE(report.contains("databases") && report["databases"].size() == 1) << report.dump(2);
    const auto& db = report["databases"][0];
    EXPECT_EQ(db.value("name", ""), "drill_db");
    std::int64_t rows = 0, tables = 0;
    const auto metadata = snapshot_entry(id)["metadata"];
    for (const auto& t : metadata["databases"][0]["tables"]) {
        ++tables;
        if (t["rows"].is_number()) rows += t["rows"].get<std::int64_t>();
    }
    EXPECT_GT(tables, 10);
    EXPECT_EQ(db.value("tables", 0), tables) << db.dump(2);
    EXPECT_EQ(db.value("rows", 0), rows) << db.dump(2);
    EXPECT_EQ(db.value("mismatches", nlohmann::json::array()), nlohmann::json::array());
    EXPECT_EQ(db.value("missing_tables", nlohmann::json::array()), nlohmann::json::array());
    EXPECT_EQ(pg.table_checksums("drill_db"), sums);

    const auto proofs = snapshot_entry(id)["proofs"];
    ASSERT_EQ(proofs.size(), 1u) << proofs.dump(2);
    EXPECT_EQ(proofs[0].value("passed", false), true);

    // It ran in a scratch database of the source's server: the server logged its creation.
    EXPECT_GE(scratch_databases_created(pg), 1u) << "no CREATE DATABASE holdfast_drill_* in the server's log";

    // In parallel too, with the same counts; a second proof is recorded.
    const auto parallel = hf_ok({"verify", id, "--restore-test", "--jobs", "2", "--json"});
    EXPECT_EQ(result_line(parallel.out).value("passed", false), true) << parallel.out;
    EXPECT_EQ(report_of(parallel.out)["databases"][0].value("rows", 0), rows) << parallel.out;
    EXPECT_EQ(snapshot_entry(id)["proofs"].size(), 2u);
    EXPECT_EQ(pg.table_checksums("drill_db"), sums);
}

// With scratch_initdb the drill runs in a cluster of its own: the source's server sees no
// scratch database. PostgreSQL refuses to run as root, so as root the drill must be refused
// cleanly instead (nothing left behind, no passing proof).
TEST_F(postgresql_drill, ADrillWithScratchInitdbRunsInAClusterOfItsOwn) {
    auto& pg = cluster();
    pg.exec("postgres", "ALTER ROLE postgres SET log_statement = 'ddl'");
    load_wide(pg, "scratch_drill_db");
    add_source("pg", pg, {"scratch_drill_db"},
               "      scratch_initdb: " + nlohmann::json((pg.bin_dir() / "initdb").string()).dump() + "\n");
    init_repository();
    const auto id = backup("pg");
    const auto created_before = scratch_databases_created(pg);

    const auto drill = hf({"verify", id, "--restore-test", "--json"});
    EXPECT_EQ(scratch_databases_created(pg), created_before) << "the drill used the source's server";
    if (::geteuid() == 0) {
        EXPECT_NE(drill.exit_code, 0);
        EXPECT_NE(drill.err.find("root"), std::string::npos) << all_output(drill);
        for (const auto& proof : snapshot_entry(id)["proofs"]) EXPECT_EQ(proof.value("passed", true), false);
        return;
    }
    EXPECT_EQ(drill.exit_code, 0) << all_output(drill);
    EXPECT_EQ(result_line(drill.out).value("passed", false), true) << drill.out;
    const auto proofs = snapshot_entry(id)["proofs"];
    ASSERT_EQ(proofs.size(), 1u) << proofs.dump(2);
    EXPECT_EQ(proofs[0].value("passed", false), true);
}

// A backup that cannot be restored is what drills exist to find: this one's dump is fine,
// but pg_restore fails on it (a CHECK constraint calling a function that reads a table
// restored later; see add_unrestorable_tables). The row counts are never reached.
TEST_F(postgresql_drill, ADrillOfABackupThatCannotBeRestoredFails) {
    auto& pg = cluster();
    load_wide(pg, "bad_drill_db");
    add_unrestorable_tables(pg, "bad_drill_db");
    add_source("pg", pg, {"bad_drill_db"});
    init_repository();
    const auto id = backup("pg");

    const auto drill = hf({"verify", id, "--restore-test", "--json"});
    EXPECT_EQ(drill.exit_code, 5) << all_output(drill);  // a verification ran and found problems
    const auto result = result_line(drill.out);
    ASSERT_TRUE(result.contains("type")) << all_output(drill);
    EXPECT_EQ(result.value("passed", true), false);
    EXPECT_NE(drill.out.find("zz_checked_known"), std::string::npos) << "the problem is not reported:\n" << drill.out;
    const auto proofs = snapshot_entry(id)["proofs"];
    ASSERT_EQ(proofs.size(), 1u) << proofs.dump(2);
    EXPECT_EQ(proofs[0].value("passed", true), false);
}

}  // namespace
}  // namespace holdfast::testing::postgresql
