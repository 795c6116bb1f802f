// RAII over the SQLite C API: a connection, a prepared statement, an online
// backup handle; SQLite result codes become plugin::error with a status code.
#pragma once

#include <holdfast/abi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_backup;

namespace holdfast::engines::sqlite {

// SQLITE_CORRUPT/NOTADB -> HF_ERR_CORRUPT, SQLITE_FULL -> HF_ERR_NO_SPACE, ...
hf_status status_for_sqlite(int result_code) noexcept;

// "name" with embedded quotes doubled: safe to splice into SQL as an identifier.
std::string quote_identifier(std::string_view name);

class connection {
public:
    enum class access { read_only, read_write };

    // Never creates a database: a missing file is HF_ERR_NOT_FOUND.
    connection(const std::filesystem::path& path, access mode);
    connection(connection&&) = delete;
    connection(const connection&) = delete;
    ~connection();

    sqlite3* get() const noexcept { return db_; }
    const std::filesystem::path& path() const noexcept { return path_; }

    // Run statements that return nothing useful.
    void exec(const char* sql);
    // The first column of the first row.
    std::int64_t query_int(const char* sql);
    std::string query_text(const char* sql);

    // Throw plugin::error for `result_code`, with SQLite's message for this connection.
    [[noreturn]] void fail(int result_code, std::string_view what) const;

private:
    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
};

class statement {
public:
    statement(connection& db, std::string_view sql);
    statement(statement&&) = delete;
    statement(const statement&) = delete;
    ~statement();

    // True when a row is available; false when done.
    bool step();
    std::int64_t column_int(int index) const;
    // Empty for NULL.
    std::string column_text(int index) const;
    bool column_is_null(int index) const;

private:
    connection& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// A read transaction, started at once (BEGIN plus a read, so the snapshot is
// taken now, not at the first later query) and rolled back on destruction.
// In WAL mode it pins one consistent snapshot while writers carry on.
class read_transaction {
public:
    explicit read_transaction(connection& db);
    read_transaction(read_transaction&&) = delete;
    read_transaction(const read_transaction&) = delete;
    ~read_transaction();

private:
    connection& db_;
};

// An online backup from `source` into `destination` (sqlite3_backup_*).
class backup_handle {
public:
    backup_handle(connection& destination, connection& source);
    backup_handle(backup_handle&&) = delete;
    backup_handle(const backup_handle&) = delete;
    ~backup_handle();

    // One sqlite3_backup_step(pages): SQLITE_OK (more to do), SQLITE_DONE,
    // or SQLITE_BUSY/SQLITE_LOCKED (try again); throws on anything else.
    int step(int pages);
    std::int64_t remaining() const;
    std::int64_t page_count() const;
    // Release the handle, reporting an error the backup left behind.
    void finish();

private:
    connection& destination_;  // SQLite reports backup errors on this one
    std::string source_name_;
    sqlite3_backup* backup_ = nullptr;
};

}  // namespace holdfast::engines::sqlite
