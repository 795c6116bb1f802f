#include "restore.hpp"

#include "client_tools.hpp"
#include "database_names.hpp"
#include "database_restore.hpp"
#include "database_swap.hpp"
#include "globals_script.hpp"
#include <holdfast/plugin/json_fields.hpp>
#include "scratch_database.hpp"
#include "server_info.hpp"
#include "snapshot_archive.hpp"
#include "stream_names.hpp"

#include <algorithm>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

bool has_stream(const holdfast::plugin::restore_source& source, std::string_view name) {
    const auto streams = source.streams();
    return std::any_of(streams.begin(), streams.end(), [&](const auto& s) { return s.name == name; });
}

std::string read_stream(holdfast::plugin::restore_source& source, const std::string& name) {
    auto stream = source.open(name);
    std::string out;
    std::vector<std::byte> buffer(1 << 16);
    while (std::size_t n = stream.read(buffer)) out.append(reinterpret_cast<const char*>(buffer.data()), n);
    return out;
}

endpoint admin_endpoint(const endpoint& server, const std::vector<std::string>& busy) {
    const std::string own = server.database();
    if (std::find(busy.begin(), busy.end(), own) == busy.end()) return server;
    return server.with_database(own == "template1" ? "postgres" : "template1");
}

std::vector<std::string> create_roles(connection& admin, const std::string& globals_script,
                                      const std::set<std::string>& roles) {
    const auto statements = role_statements(globals_script, roles, existing_roles(admin));
    admin.exec("BEGIN");
    try {
        for (const auto& sql : statements) admin.exec(sql);
        admin.exec("COMMIT");
    } catch (...) {
        try {
            admin.exec("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    const auto now = existing_roles(admin);
    for (const auto& r : roles)
        if (!now.count(r))
            throw error(HF_ERR_FAILED, "role " + r + " is not created by the backup's globals; create it by hand");
    return {roles.begin(), roles.end()};
}

std::string run_restore(const settings& config, const restore_options& options_in,
                        holdfast::plugin::restore_source& source, holdfast::plugin::host_services host) {
    if (options_in.rollback) return run_rollback(config, options_in, host);
    const snapshot_metadata meta = parse_metadata(source.metadata_json());
    // A data-only backup has no tables to create: its data goes into an existing database.
    restore_options options = options_in;
    options.data_only = options.data_only || meta.selection.data_only;
    const endpoint server{config.connection, config.password};
    // Planned on a connection of its own, closed before anything is renamed (it may be
    // connected to a database the plan replaces).
    restore_plan plan = [&] {
        connection planning = connection::open(server);
        return plan_restore(planning, meta, options);
    }();
    std::vector<std::string> busy;
    for (const auto& s : plan.steps) busy.push_back(s.into);
    connection admin = connection::open(admin_endpoint(server, busy));
    const client_tools tools = find_client_tools(config, admin.server_version());
    const bool globals = meta.globals && has_stream(source, globals_stream);
    check_plan(admin, meta, options, globals, plan);

    nlohmann::json report = {{"dry_run", options.dry_run}, {"plan", describe(plan)}};
    if (options.dry_run) {
        report["would_refuse"] = !plan.problems.empty();
        return plugin::to_json_text(report);
    }
    refuse_if_problems(plan, "restore");
    std::vector<std::string> created;
    if (!plan.roles_to_create.empty())
        created = create_roles(admin, read_stream(source, std::string(globals_stream)), plan.roles_to_create);
    report["roles_created"] = created;

    nlohmann::json done = nlohmann::json::array();
    for (const auto& step : plan.steps) {
        host.throw_if_cancelled();
        const snapshot_archive archive(source, *step.record);
        done.push_back(describe(restore_step(admin, server, tools, step, options, archive.input(), host)));
    }
    report["databases"] = done;
    return plugin::to_json_text(report);
}

std::string run_rollback(const settings& config, const restore_options& options, holdfast::plugin::host_services host) {
    const std::string& name = *options.rollback;
    const endpoint server{config.connection, config.password};
    connection admin = connection::open(admin_endpoint(server, {name}));
    const std::string prefix = suffixed_name(name, previous_marker);
    std::string newest;
    for (const auto& d : list_databases(admin))
        if (d.name.size() > prefix.size() && d.name.compare(0, prefix.size(), prefix) == 0 && d.name > newest)
            newest = d.name;
    if (newest.empty())
        throw error(HF_ERR_NOT_FOUND, "no earlier copy of \"" + name + "\" to roll back to (no database named " +
                                          prefix + "*): restore kept none, or it was dropped");
    const auto others = sessions_on(admin, name);
    if (!others.empty() && !options.terminate_connections)
        throw error(HF_ERR_PRECONDITION, std::to_string(others.size()) + " other session(s) are connected to \"" +
                                             name + "\": close them or use --terminate-connections");
    nlohmann::json report = {{"rollback", name}, {"restored_from", newest}, {"dry_run", options.dry_run}};
    if (options.dry_run) return plugin::to_json_text(report);
    const std::string replaced_as =
        rolled_back_name(name, [&admin](const std::string& n) { return find_database(admin, n).has_value(); });
    host.info("putting " + newest + " back in place of " + name);
    auto kept = swap_databases(admin, name, newest, replaced_as, options.terminate_connections);
    if (kept && !options.keep_previous) {
        drop_database(admin, *kept);
        kept.reset();
    }
    report["kept_replaced"] = kept ? nlohmann::json(*kept) : nlohmann::json(nullptr);
    return plugin::to_json_text(report);
}

}  // namespace holdfast::engines::postgresql
