// pg_dump's object name patterns (-t, -n, ...: psql's rules): unquoted letters fold to lower
// case, * and ? are wildcards, a dot separates schema from name, double quotes keep text as
// written. Used to know which tables a filtered backup holds, so its metadata lists exactly
// the tables whose rows a restore drill must find.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::engines::postgresql {

class name_pattern {
public:
    explicit name_pattern(std::string_view pattern);
    // A schema pattern (-n) matches the schema; a table pattern (-t) matches the table and,
    // when it has a dot, the schema too.
    bool matches_schema(const std::string& schema) const;
    bool matches_table(const std::string& schema, const std::string& table) const;

private:
    std::optional<std::regex> schema_;
    std::regex name_;
};

// True when the table is in a backup taken with these pg_dump filters.
struct table_filter {
    std::vector<name_pattern> tables, exclude_tables, schemas, exclude_schemas;
    bool includes(const std::string& schema, const std::string& table) const;
};

}  // namespace holdfast::engines::postgresql
