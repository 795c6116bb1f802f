#include "inspect.hpp"

#include "sha256.hpp"

namespace holdfast::engines::sqlite {

std::string schema_hash(connection& db) {
    sha256 hash;
    statement rows(db, "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name");
    while (rows.step()) {
        hash.update(rows.column_text(0));
        hash.update(std::string_view("\0", 1));
    }
    return hash.hex_digest();
}

std::map<std::string, std::int64_t> row_counts(connection& db, const holdfast::plugin::host_services& host) {
    std::vector<std::string> tables;
    {
        statement list(db,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                       "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name");
        while (list.step()) tables.push_back(list.column_text(0));
    }
    std::map<std::string, std::int64_t> counts;
    for (const auto& table : tables) {
        host.throw_if_cancelled();
        counts[table] = db.query_int(("SELECT count(*) FROM main." + quote_identifier(table)).c_str());
    }
    return counts;
}

database_facts inspect(connection& db, const holdfast::plugin::host_services& host) {
    read_transaction snapshot(db);
    database_facts facts;
    facts.page_size = db.query_int("PRAGMA page_size");
    facts.page_count = db.query_int("PRAGMA page_count");
    facts.schema_hash = schema_hash(db);
    facts.row_counts = row_counts(db, host);
    return facts;
}

std::vector<std::string> integrity_problems(connection& db) {
    std::vector<std::string> problems;
    statement check(db, "PRAGMA integrity_check(20)");
    while (check.step()) {
        std::string line = check.column_text(0);
        if (line != "ok") problems.push_back(std::move(line));
    }
    return problems;
}

nlohmann::json to_json(const std::map<std::string, std::int64_t>& counts) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [table, count] : counts) out[table] = count;
    return out;
}

}  // namespace holdfast::engines::sqlite
