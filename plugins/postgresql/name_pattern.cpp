#include "name_pattern.hpp"

#include <algorithm>
#include <cctype>

namespace holdfast::engines::postgresql {

namespace {

// One part (schema or name) of a pattern as an anchored regular expression.
std::regex part_regex(const std::string& part) {
    std::string out = "^(";
    bool quoted = false;
    for (std::size_t i = 0; i < part.size(); ++i) {
        const char c = part[i];
        if (c == '"') {
            if (quoted && i + 1 < part.size() && part[i + 1] == '"') {
                out += '"';
                ++i;
            } else {
                quoted = !quoted;
            }
            continue;
        }
        if (!quoted && c == '*') out += ".*";
        else if (!quoted && c == '?') out += '.';
        else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80)
            out += quoted ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else (out += '\\') += c;
    }
    return std::regex(out + ")$");
}

}  // namespace

name_pattern::name_pattern(std::string_view pattern) {
    // The last dot outside quotes separates the schema from the name.
    std::optional<std::size_t> dot;
    bool quoted = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '"') quoted = !quoted;
        else if (pattern[i] == '.' && !quoted) dot = i;
    }
    if (dot) {
        schema_ = part_regex(std::string(pattern.substr(0, *dot)));
        name_ = part_regex(std::string(pattern.substr(*dot + 1)));
    } else {
        name_ = part_regex(std::string(pattern));
    }
}

bool name_pattern::matches_schema(const std::string& schema) const { return std::regex_match(schema, name_); }

bool name_pattern::matches_table(const std::string& schema, const std::string& table) const {
    return (!schema_ || std::regex_match(schema, *schema_)) && std::regex_match(table, name_);
}

bool table_filter::includes(const std::string& schema, const std::string& table) const {
    auto any = [](const std::vector<name_pattern>& patterns, auto&& test) {
        return std::any_of(patterns.begin(), patterns.end(), test);
    };
    const bool excluded_table = any(exclude_tables, [&](const auto& p) { return p.matches_table(schema, table); });
    // pg_dump: with -t, the schema switches (-n, -N) have no effect.
    if (!tables.empty())
        return !excluded_table && any(tables, [&](const auto& p) { return p.matches_table(schema, table); });
    if (!schemas.empty() && !any(schemas, [&](const auto& p) { return p.matches_schema(schema); })) return false;
    return !excluded_table && !any(exclude_schemas, [&](const auto& p) { return p.matches_schema(schema); });
}

}  // namespace holdfast::engines::postgresql
