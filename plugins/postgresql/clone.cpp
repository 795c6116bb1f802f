#include "clone.hpp"

#include "client_commands.hpp"
#include "database_catalog.hpp"
#include "database_restore.hpp"
#include <holdfast/plugin/json_fields.hpp>
#include "restore.hpp"
#include "server_info.hpp"

#include <algorithm>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

std::string program_output(const program_run& run, holdfast::plugin::host_services host) {
    auto program = child::start(run);
    std::string out;
    std::vector<std::byte> buffer(1 << 16);
    while (std::size_t n = program->read(buffer, [&host] { return host.cancelled(); }))
        out.append(reinterpret_cast<const char*>(buffer.data()), n);
    if (!program->wait()) throw error(HF_ERR_FAILED, program->failure());
    return out;
}

}  // namespace

std::string run_clone(const settings& from, const settings& to, std::string_view options_json,
                      holdfast::plugin::host_services host) {
    restore_options options = parse_clone_options(options_json);
    const std::string& name = options.databases.front();
    const endpoint source_server{from.connection, from.password}, target_server{to.connection, to.password};
    connection source = connection::open(source_server);
    const auto info = find_database(source, name);
    if (!info) throw error(HF_ERR_NOT_FOUND, "database \"" + name + "\" does not exist on the source server");

    snapshot_metadata meta;
    meta.server_version_num = source.server_version();
    meta.server_version = version_text(meta.server_version_num);
    {
        connection db = connection::open(source_server.with_database(name));
        meta.databases.push_back({name, "", info->owner, info->encoding, info->collate, info->ctype,
                                  info->size.value_or(0), info->settings, info->acl, read_extensions(db),
                                  read_referenced_roles(db, *info), {}});
    }
    connection admin = connection::open(admin_endpoint(target_server, {*options.target}));
    // pg_restore reads archives of its own major version and older: the newer side's tools.
    const client_tools tools =
        find_client_tools(from, std::max(source.server_version(), admin.server_version()));
    restore_plan plan = plan_restore(admin, meta, options);
    check_plan(admin, meta, options, true, plan);
    nlohmann::json report = {{"database", name}, {"target", *options.target}, {"dry_run", options.dry_run},
                             {"plan", describe(plan)}};
    if (options.dry_run) {
        report["would_refuse"] = !plan.problems.empty();
        return plugin::to_json_text(report);
    }
    refuse_if_problems(plan, "clone");
    if (!plan.roles_to_create.empty())
        report["roles_created"] =
            create_roles(admin, program_output(pg_dumpall_globals_run(tools, source_server, false), host),
                         plan.roles_to_create);

    auto dump = child::start(pg_dump_run(tools, source_server.with_database(name), {}, std::nullopt));
    // pg_dump's failure must be known before the copy is renamed into place: at the end of
    // its output, its exit status is checked, and a failed dump fails the clone there.
    const archive_reader read = [&](std::span<std::byte> buffer) {
        const std::size_t n = dump->read(buffer, [&host] { return host.cancelled(); });
        if (n == 0 && !dump->wait()) throw error(HF_ERR_FAILED, dump->failure());
        return n;
    };
    report["result"] = describe(restore_step(admin, target_server, tools, plan.steps.front(), options, {read, {}, {}}, host));
    return plugin::to_json_text(report);
}

}  // namespace holdfast::engines::postgresql
