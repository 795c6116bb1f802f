#include "support/sqlite_file.hpp"

#include <sqlite3.h>

#include <cstring>
#include <stdexcept>

namespace holdfast::testing {

namespace {

struct statement {
    sqlite3_stmt* stmt = nullptr;
    statement(sqlite3* db, const std::string& sql) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
            throw std::runtime_error("prepare " + sql + ": " + sqlite3_errmsg(db));
    }
    ~statement() { sqlite3_finalize(stmt); }
    bool step(sqlite3* db) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(db));
    }
};

std::string render(sqlite3_stmt* stmt, int column) {
    switch (sqlite3_column_type(stmt, column)) {
        case SQLITE_NULL: return "N";
        case SQLITE_INTEGER: return "I" + std::to_string(sqlite3_column_int64(stmt, column));
        case SQLITE_FLOAT: {
            double value = sqlite3_column_double(stmt, column);
            std::uint64_t bits;
            std::memcpy(&bits, &value, sizeof bits);
            return "F" + std::to_string(bits);
        }
        case SQLITE_TEXT:
            return "T" + std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)),
                                     static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
        default: {
            const void* blob = sqlite3_column_blob(stmt, column);
            auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, column));
            return "B" + (size == 0 ? std::string() : std::string(static_cast<const char*>(blob), size));
        }
    }
}

std::string quote(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

sqlite_file::sqlite_file(const std::filesystem::path& path, bool create) {
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string message = sqlite3_errmsg(db_);
        sqlite3_close(db_);
        throw std::runtime_error("open " + path.string() + ": " + message);
    }
    sqlite3_busy_timeout(db_, 10'000);
}

sqlite_file::~sqlite_file() { sqlite3_close(db_); }

void sqlite_file::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message != nullptr ? message : "?";
        sqlite3_free(message);
        throw std::runtime_error("exec " + sql + ": " + text);
    }
}

std::int64_t sqlite_file::integer(const std::string& sql) {
    statement s(db_, sql);
    if (!s.step(db_)) throw std::runtime_error("no row: " + sql);
    return sqlite3_column_int64(s.stmt, 0);
}

std::string sqlite_file::text(const std::string& sql) {
    statement s(db_, sql);
    if (!s.step(db_)) throw std::runtime_error("no row: " + sql);
    const unsigned char* t = sqlite3_column_text(s.stmt, 0);
    return t != nullptr ? reinterpret_cast<const char*>(t) : "";
}

void sqlite_file::exec_with(const std::string& sql, std::span<const std::byte> blob, const std::string& text) {
    statement s(db_, sql);
    sqlite3_bind_blob64(s.stmt, 1, blob.data(), blob.size(), nullptr);  // nullptr: SQLITE_STATIC
    sqlite3_bind_text64(s.stmt, 2, text.data(), text.size(), nullptr, SQLITE_UTF8);
    while (s.step(db_)) {
    }
}

std::vector<std::vector<std::string>> sqlite_file::rows(const std::string& sql) {
    statement s(db_, sql);
    std::vector<std::vector<std::string>> out;
    while (s.step(db_)) {
        std::vector<std::string> row;
        for (int c = 0; c < sqlite3_column_count(s.stmt); ++c) row.push_back(render(s.stmt, c));
        out.push_back(std::move(row));
    }
    return out;
}

std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> sqlite_file::dump() {
    std::vector<std::string> tables;
    for (const auto& row : rows("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name"))
        tables.push_back(row[0].substr(1));
    std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> out;
    for (const auto& table : tables) {
        // Ordering by every column makes the order total for any table
        // (WITHOUT ROWID ones included).
        std::string sql = "SELECT * FROM " + quote(table) + " ORDER BY ";
        int columns = sqlite3_column_count(statement(db_, "SELECT * FROM " + quote(table)).stmt);
        for (int c = 1; c <= columns; ++c) sql += (c > 1 ? ", " : "") + std::to_string(c);
        out.emplace_back(table, rows(sql));
    }
    return out;
}

std::vector<std::string> sqlite_file::integrity() {
    std::vector<std::string> out;
    for (const auto& row : rows("PRAGMA integrity_check")) out.push_back(row[0].substr(1));
    return out;
}

}  // namespace holdfast::testing
