#include "probe.hpp"

#include "client_tools.hpp"
#include "database_selection.hpp"
#include <holdfast/plugin/json_fields.hpp>
#include "server_info.hpp"

#include <holdfast/plugin/common.hpp>

namespace holdfast::engines::postgresql {

std::string probe_server(const settings& config) {
    using nlohmann::json;
    const endpoint server{config.connection, config.password};
    std::optional<connection> conn;
    try {
        conn.emplace(connection::open(server));
    } catch (const plugin::error& e) {
        return plugin::to_json_text({{"reachable", false}, {"error", e.what()}});
    }
    json problems = json::array();
    const int version = conn->server_version();
    const user_privileges me = current_privileges(*conn);
    const bool enough = me.superuser || me.read_all_data;
    json privileges = {{"user", me.user}, {"superuser", me.superuser}, {"read_all_data", me.read_all_data},
                       {"enough", enough}};
    if (!enough)
        privileges["note"] = me.user + " is neither a superuser nor a member of pg_read_all_data: tables it cannot "
                                       "read fail the backup, and role passwords cannot be backed up";
    json tools = json::object();
    try {
        const client_tools found = find_client_tools(config, version);
        tools = {{"pg_dump", found.pg_dump.string()}, {"pg_restore", found.pg_restore.string()},
                 {"version", found.version}};
    } catch (const plugin::error& e) {
        problems.push_back(e.what());
    }
    json databases = json::array();
    std::uint64_t total = 0;
    const auto all = list_databases(*conn);
    std::vector<database_info> selected;
    try {
        selected = select_databases(all, config.databases, config.exclude_databases);
    } catch (const plugin::error& e) {
        problems.push_back(e.what());
    }
    for (const auto& d : all) {
        if (d.is_template) continue;
        const bool backed_up = std::any_of(selected.begin(), selected.end(), [&](const auto& s) { return s.name == d.name; });
        databases.push_back({{"name", d.name}, {"size", d.size ? json(*d.size) : json(nullptr)},
                             {"owner", d.owner}, {"encoding", d.encoding}, {"selected", backed_up}});
        if (backed_up) total += d.size.value_or(0);
    }
    return plugin::to_json_text({{"reachable", true},
                         {"server_version", version_text(version)},
                         {"server_version_num", version},
                         {"privileges", privileges},
                         {"client_tools", tools},
                         {"databases", databases},
                         {"selected_size", total},
                         {"problems", problems}});
}

}  // namespace holdfast::engines::postgresql
