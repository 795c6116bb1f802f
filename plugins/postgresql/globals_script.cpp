#include "globals_script.hpp"

#include <sstream>

namespace holdfast::engines::postgresql {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// One SQL identifier at `pos` (quoted or not), unquoted; pos moves past it.
std::string identifier(std::string_view text, std::size_t& pos) {
    std::string out;
    if (pos < text.size() && text[pos] == '"') {
        for (++pos; pos < text.size(); ++pos) {
            if (text[pos] == '"') {
                if (pos + 1 < text.size() && text[pos + 1] == '"') {
                    out += '"';
                    ++pos;
                    continue;
                }
                ++pos;
                break;
            }
            out += text[pos];
        }
        return out;
    }
    while (pos < text.size() && text[pos] != ' ' && text[pos] != ';' && text[pos] != ',') out += text[pos++];
    return out;
}

// The identifiers of a comma-separated list at `pos`.
std::vector<std::string> identifier_list(std::string_view text, std::size_t& pos) {
    std::vector<std::string> out;
    for (;;) {
        out.push_back(identifier(text, pos));
        if (pos + 1 < text.size() && text[pos] == ',' && text[pos + 1] == ' ') pos += 2;
        else return out;
    }
}

}  // namespace

std::vector<std::string> role_statements(std::string_view script, const std::set<std::string>& missing,
                                         const std::set<std::string>& existing) {
    std::vector<std::string> out;
    std::istringstream lines{std::string(script)};
    for (std::string line; std::getline(lines, line);) {
        std::string_view s(line);
        for (std::string_view prefix : {"CREATE ROLE ", "ALTER ROLE ", "COMMENT ON ROLE "}) {
            if (!starts_with(s, prefix)) continue;
            std::size_t pos = prefix.size();
            if (missing.count(identifier(s, pos))) out.push_back(line);
        }
        if (starts_with(s, "GRANT ") && s.find(" TO ") != std::string_view::npos) {
            // Role memberships only: "GRANT a, b TO c[, d] [WITH ADMIN OPTION] [GRANTED BY e];"
            std::size_t pos = 6;
            auto granted = identifier_list(s, pos);
            if (!starts_with(s.substr(pos), " TO ")) continue;
            pos += 4;
            auto members = identifier_list(s, pos);
            std::vector<std::string> all = granted;
            all.insert(all.end(), members.begin(), members.end());
            const auto by = s.find(" GRANTED BY ", pos);
            if (by != std::string_view::npos) {
                std::size_t p = by + 12;
                all.push_back(identifier(s, p));
            }
            bool involves_missing = false, all_exist = true;
            for (const auto& r : all) {
                involves_missing = involves_missing || missing.count(r) > 0;
                all_exist = all_exist && (missing.count(r) > 0 || existing.count(r) > 0);
            }
            if (involves_missing && all_exist) out.push_back(line);
        }
    }
    return out;
}

}  // namespace holdfast::engines::postgresql
