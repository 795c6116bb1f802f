#include "database_selection.hpp"

#include <holdfast/plugin/common.hpp>

#include "database_names.hpp"

#include <algorithm>

namespace holdfast::engines::postgresql {

std::vector<database_info> select_databases(const std::vector<database_info>& all,
                                            const std::vector<std::string>& wanted,
                                            const std::vector<std::string>& excluded) {
    auto is_excluded = [&](const std::string& name) {
        return std::find(excluded.begin(), excluded.end(), name) != excluded.end();
    };
    std::vector<database_info> out;
    if (wanted.empty()) {
        for (const auto& d : all)
            if (d.allows_connections && !d.is_template && !is_excluded(d.name) && !made_by_restore(d.name))
                out.push_back(d);
    } else {
        for (const auto& name : wanted) {
            auto found = std::find_if(all.begin(), all.end(), [&](const auto& d) { return d.name == name; });
            if (found == all.end()) {
                std::string names;
                for (const auto& d : all)
                    if (!d.is_template) names += (names.empty() ? "" : ", ") + d.name;
                throw plugin::error(HF_ERR_NOT_FOUND,
                                    "database \"" + name + "\" does not exist on the server (it has: " + names + ")");
            }
            if (!found->allows_connections)
                throw plugin::error(HF_ERR_INVALID_ARGUMENT, "database \"" + name + "\" does not accept connections");
            if (!is_excluded(name)) out.push_back(*found);
        }
    }
    for (const auto& d : out)
        if (!d.can_connect)
            throw plugin::error(HF_ERR_PERMISSION, "the backup user may not connect to database \"" + d.name +
                                                       "\": grant CONNECT, or leave it out with --exclude-database");
    if (out.empty()) throw plugin::error(HF_ERR_NOT_FOUND, "no database to back up: the selection is empty");
    return out;
}

}  // namespace holdfast::engines::postgresql
