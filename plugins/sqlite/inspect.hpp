// What the engine records about a database and checks after a restore: page
// geometry, per-table row counts, a hash of the schema, integrity_check.
#pragma once

#include "connection.hpp"

#include <holdfast/plugin/common.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace holdfast::engines::sqlite {

struct database_facts {
    std::int64_t page_size = 0;
    std::int64_t page_count = 0;
    std::map<std::string, std::int64_t> row_counts;  // user tables by name
    std::string schema_hash;                         // see schema_hash()
};

// Reads everything inside one read transaction, so the facts agree with each
// other. Checks cancellation between tables (counting is a full scan).
database_facts inspect(connection& db, const holdfast::plugin::host_services& host);

// SHA-256 (hex) of the `sql` column of sqlite_schema, rows ordered by type then
// name, each followed by a NUL byte; rows without sql (automatic indexes) are
// skipped. Changes when any table, index, view or trigger definition changes.
std::string schema_hash(connection& db);

// Row counts of the user tables: ordinary tables whose names do not start with
// "sqlite_" (virtual tables are skipped: counting them needs their module; their
// shadow tables are ordinary tables and are counted).
std::map<std::string, std::int64_t> row_counts(connection& db, const holdfast::plugin::host_services& host);

// PRAGMA integrity_check: empty when the database is sound, else its findings
// (at most 20).
std::vector<std::string> integrity_problems(connection& db);

nlohmann::json to_json(const std::map<std::string, std::int64_t>& counts);

}  // namespace holdfast::engines::sqlite
