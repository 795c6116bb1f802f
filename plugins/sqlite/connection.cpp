#include "connection.hpp"

#include <holdfast/plugin/common.hpp>

#include <sqlite3.h>

#include <climits>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;

namespace {
// Long enough to ride out a writer's commit or a checkpoint; short enough that
// a database locked for good fails the run instead of hanging it.
constexpr int busy_timeout_ms = 30'000;
}  // namespace

hf_status status_for_sqlite(int result_code) noexcept {
    switch (result_code & 0xff) {
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return HF_ERR_CORRUPT;
        case SQLITE_FULL: return HF_ERR_NO_SPACE;
        case SQLITE_PERM:
        case SQLITE_AUTH:
        case SQLITE_READONLY: return HF_ERR_PERMISSION;
        case SQLITE_CANTOPEN: return HF_ERR_NOT_FOUND;
        case SQLITE_IOERR: return HF_ERR_IO;
        case SQLITE_NOMEM: return HF_ERR_INTERNAL;
        case SQLITE_INTERRUPT: return HF_ERR_CANCELLED;
        default: return HF_ERR_FAILED;
    }
}

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') out += '"';
    }
    out += '"';
    return out;
}

connection::connection(const std::filesystem::path& path, access mode) : path_(path) {
    // No SQLITE_OPEN_CREATE: a typo in a path must not produce an empty database.
    // No SQLITE_OPEN_URI: a file name is a file name.
    const int flags = (mode == access::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw error(status_for_sqlite(rc), "cannot open " + path.string() + ": " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
}

connection::~connection() {
    // Statements and backups are RAII objects that die first, so this closes.
    sqlite3_close(db_);
}

void connection::fail(int result_code, std::string_view what) const {
    std::string message = std::string(what) + " (" + path_.string() + "): ";
    message += db_ != nullptr && sqlite3_errcode(db_) == result_code ? sqlite3_errmsg(db_) : sqlite3_errstr(result_code);
    throw error(status_for_sqlite(result_code), message);
}

void connection::exec(const char* sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw error(status_for_sqlite(rc), std::string("running \"") + sql + "\" on " + path_.string() + ": " + text);
    }
}

std::int64_t connection::query_int(const char* sql) {
    statement s(*this, sql);
    if (!s.step()) fail(SQLITE_ERROR, std::string("no result from \"") + sql + "\"");
    return s.column_int(0);
}

std::string connection::query_text(const char* sql) {
    statement s(*this, sql);
    if (!s.step()) fail(SQLITE_ERROR, std::string("no result from \"") + sql + "\"");
    return s.column_text(0);
}

statement::statement(connection& db, std::string_view sql) : db_(db) {
    if (sql.size() > static_cast<std::size_t>(INT_MAX)) throw error(HF_ERR_INTERNAL, "SQL statement too long");
    int rc = sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "preparing \"" + std::string(sql) + "\"");
}

statement::~statement() { sqlite3_finalize(stmt_); }

bool statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail(rc, "running \"" + std::string(sqlite3_sql(stmt_)) + "\"");
}

std::int64_t statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string statement::column_text(int index) const {
    const unsigned char* text = sqlite3_column_text(stmt_, index);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
}

bool statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

read_transaction::read_transaction(connection& db) : db_(db) {
    db.exec("BEGIN");
    try {
        db.query_int("SELECT count(*) FROM sqlite_schema");
    } catch (...) {
        sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

read_transaction::~read_transaction() {
    // Nothing was written: ending the transaction cannot lose anything.
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

backup_handle::backup_handle(connection& destination, connection& source)
    : destination_(destination), source_name_(source.path().string()) {
    backup_ = sqlite3_backup_init(destination.get(), "main", source.get(), "main");
    if (backup_ == nullptr) destination.fail(sqlite3_errcode(destination.get()), "starting the online backup");
}

backup_handle::~backup_handle() {
    if (backup_ != nullptr) sqlite3_backup_finish(backup_);
}

int backup_handle::step(int pages) {
    int rc = sqlite3_backup_step(backup_, pages);
    switch (rc & 0xff) {
        case SQLITE_OK:
        case SQLITE_DONE:
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return rc & 0xff;
        default: destination_.fail(rc, "copying pages of " + source_name_ + " with the online backup");
    }
}

std::int64_t backup_handle::remaining() const { return sqlite3_backup_remaining(backup_); }
std::int64_t backup_handle::page_count() const { return sqlite3_backup_pagecount(backup_); }

void backup_handle::finish() {
    int rc = sqlite3_backup_finish(backup_);
    backup_ = nullptr;
    if (rc != SQLITE_OK) destination_.fail(rc, "finishing the online backup of " + source_name_);
}

}  // namespace holdfast::engines::sqlite
