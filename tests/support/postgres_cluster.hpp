// A throwaway PostgreSQL cluster for tests: initdb into a temporary directory, a server on
// 127.0.0.1 and a unix socket in that directory, stopped and removed again by the destructor.
// The server runs as the `postgres` system user when the tests run as root (PostgreSQL
// refuses root), as the current user otherwise. Nothing of the machine's own clusters is used.
//
// Helpers talk to it through libpq (exec, query) and its own client programs (psql, pg_dump),
// and compare databases by content: a checksum of every table's rows, and the schema as
// pg_dump prints it.
#pragma once

#include "run_process.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

typedef struct pg_conn PGconn;

namespace holdfast::testing {

struct postgres_cluster_options {
    // The installation's bin directory (initdb, pg_ctl, postgres); empty: find_bin_dir().
    std::filesystem::path bin_dir;
    // Connections over TCP to 127.0.0.1 as the role `secretive` need its password
    // (scram-sha-256); everything else is trusted, on the socket and on 127.0.0.1.
    bool password_auth = false;
};

// Row count and an md5 over the rows (as text, sorted) of one table, partitioned table,
// materialized view or sequence (last_value, is_called).
struct table_checksum {
    std::int64_t rows = 0;
    std::string md5;
    bool operator==(const table_checksum&) const = default;
    // For test failure messages: "600 rows, md5 0f3c...".
    friend std::ostream& operator<<(std::ostream& out, const table_checksum& sum) {
        return out << sum.rows << " rows, md5 " << sum.md5;
    }
};

class postgres_cluster {
public:
    explicit postgres_cluster(postgres_cluster_options options = {});
    ~postgres_cluster();
    postgres_cluster(const postgres_cluster&) = delete;
    postgres_cluster& operator=(const postgres_cluster&) = delete;

    // HOLDFAST_TEST_PG_BIN, else the newest /usr/lib/postgresql/<major>/bin with an initdb.
    static std::optional<std::filesystem::path> find_bin_dir();
    // Whether a cluster can be started here; when not, unavailable_reason() says why
    // (for GTEST_SKIP).
    static bool available();
    static std::string unavailable_reason();

    // One cluster for the whole test program (password_auth on), started on first use and
    // stopped at exit. Tests sharing it use distinct database names.
    static postgres_cluster& shared();

    // The unix socket directory (libpq's host for it).
    const std::string& host() const { return socket_dir_; }
    static std::string tcp_host() { return "127.0.0.1"; }
    int port() const { return port_; }
    const std::filesystem::path& bin_dir() const { return bin_dir_; }
    std::filesystem::path program(const std::string& name) const { return bin_dir_ / name; }
    int major_version() const { return major_; }

    // libpq keyword strings and URIs, over the socket or over TCP to 127.0.0.1.
    std::string conninfo(const std::string& db, const std::string& user = "postgres") const;
    std::string tcp_conninfo(const std::string& db, const std::string& user = "postgres") const;
    std::string url(const std::string& db, const std::string& user = "postgres") const;
    std::string tcp_url(const std::string& db, const std::string& user = "postgres") const;

    // Runs SQL (one or several statements) as postgres; throws std::runtime_error with the
    // server's message on error.
    void exec(const std::string& db, const std::string& sql) const;
    // The rows of the last statement's result, each value as text (NULL as "").
    std::vector<std::vector<std::string>> query(const std::string& db, const std::string& sql) const;
    // The first value of the first row; throws when there is none.
    std::string scalar(const std::string& db, const std::string& sql) const;

    bool database_exists(const std::string& name) const;
    bool role_exists(const std::string& name) const;
    // Every database but the templates, sorted.
    std::vector<std::string> databases() const;
    void create_database(const std::string& name) const;
    // DROP DATABASE IF EXISTS ... WITH (FORCE).
    void drop_database(const std::string& name) const;

    // Runs an SQL file with the cluster's psql (-X -v ON_ERROR_STOP=1); throws with psql's
    // output when it fails.
    void run_sql_file(const std::string& db, const std::filesystem::path& file) const;

    // "schema.table" -> checksum, for every table, partitioned table, materialized view and
    // sequence outside the system schemas; plus "<large objects>" (count and md5 over oid and
    // content) when the database has any.
    std::map<std::string, table_checksum> table_checksums(const std::string& db) const;
    // pg_dump --schema-only of the database, without comment lines (they name the
    // database, versions and dump times), \restrict and \unrestrict lines (their key changes
    // every run) and blank lines.
    std::string schema_dump(const std::string& db) const;
    // Owner, encoding, collation, ctype, connection limit, ACL and per-database settings.
    std::string database_properties(const std::string& db) const;

    // Runs one of the installation's client programs (pg_restore, psql, ...) with the
    // environment cleared of PG* variables.
    process_result run_client(const std::string& program, const std::vector<std::string>& args) const;

    // The server's log so far, for failure messages.
    std::string server_log() const;

private:
    void start();
    void stop() noexcept;
    void start_watchdog();
    process_result as_server_user(std::vector<std::string> argv) const;

    postgres_cluster_options options_;
    std::filesystem::path bin_dir_;
    std::filesystem::path dir_;
    std::filesystem::path data_dir_;
    std::string socket_dir_;
    int port_ = 0;
    int major_ = 0;
    bool running_ = false;
    // The write end of the watchdog's pipe: when this process ends, however it ends, the
    // watchdog sees end-of-file and stops the server and removes the directory.
    int watchdog_fd_ = -1;
    int watchdog_pid_ = -1;
};

// A libpq session kept open (to hold a database busy, say). Throws on connection failure.
class pg_session {
public:
    explicit pg_session(const std::string& conninfo);
    ~pg_session();
    pg_session(const pg_session&) = delete;
    pg_session& operator=(const pg_session&) = delete;
    // Runs SQL; throws std::runtime_error with the server's message (or the connection's
    // error once the server has ended the session).
    void exec(const std::string& sql);
    int backend_pid() const;

private:
    PGconn* conn_ = nullptr;
};

// A private copy of a PostgreSQL installation whose extension directory lacks some
// extensions, so a cluster started from it cannot install them; the system's files are not
// touched. PostgreSQL finds its share directory relative to its executables, so the bin
// directory is copied and everything else is linked.
class pruned_postgres_installation {
public:
    pruned_postgres_installation(const std::filesystem::path& bin_dir, const std::vector<std::string>& without);
    ~pruned_postgres_installation();
    pruned_postgres_installation(const pruned_postgres_installation&) = delete;
    pruned_postgres_installation& operator=(const pruned_postgres_installation&) = delete;
    const std::filesystem::path& bin_dir() const { return bin_dir_; }

private:
    std::filesystem::path root_;
    std::filesystem::path bin_dir_;
};

// Every occurrence of `from` in `text` replaced by `to`.
std::string replace_all(std::string text, const std::string& from, const std::string& to);

}  // namespace holdfast::testing
