// A test's own view of an SQLite database, through the C API directly (not
// through the engine under test): build fixtures, read back every row.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

struct sqlite3;

namespace holdfast::testing {

class sqlite_file {
public:
    // Opens (creating when `create`) the database.
    explicit sqlite_file(const std::filesystem::path& path, bool create = true);
    sqlite_file(const sqlite_file&) = delete;
    sqlite_file& operator=(const sqlite_file&) = delete;
    ~sqlite_file();

    void exec(const std::string& sql);
    std::int64_t integer(const std::string& sql);
    std::string text(const std::string& sql);
    // Runs `sql` with one BLOB bound to ?1 and one text bound to ?2.
    void exec_with(const std::string& sql, std::span<const std::byte> blob, const std::string& text);

    // Every row of `sql`, each value rendered exactly (type tag + bytes, doubles
    // bit for bit), for equality checks.
    std::vector<std::vector<std::string>> rows(const std::string& sql);
    // Every user table's rows in rowid (or primary key) order, keyed by table.
    std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> dump();
    // PRAGMA integrity_check's lines ("ok" alone when sound).
    std::vector<std::string> integrity();

    sqlite3* get() const noexcept { return db_; }

private:
    sqlite3* db_ = nullptr;
};

}  // namespace holdfast::testing
