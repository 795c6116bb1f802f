#include "backup.hpp"

#include "archive_tables.hpp"
#include "child.hpp"
#include "client_commands.hpp"
#include "database_catalog.hpp"
#include "database_selection.hpp"
#include <holdfast/plugin/json_fields.hpp>
#include "stream_names.hpp"

#include <memory>
#include <string>
#include <vector>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

constexpr std::size_t buffer_size = 1 << 20;

// Copies a started program's stdout into a stream; throws with the program's last stderr
// lines when it fails. With a counter, the bytes are also read as a custom-format archive
// and its rows counted on the way; returns what of the archive was not understood ("" when
// all).
std::string pump(child& program, holdfast::plugin::output_stream& stream, holdfast::plugin::host_services host,
                 std::uint64_t& done, std::uint64_t total, archive_tables* counter = nullptr) {
    const auto cancelled = [&host] { return host.cancelled(); };
    const archive_source source = [&](std::span<std::byte> buffer) { return program.read(buffer, cancelled); };
    const archive_sink sink = [&](std::span<const std::byte> bytes) {
        stream.write(bytes);
        done += bytes.size();
        host.progress("dump", done, total);
    };
    std::string problem;
    if (counter != nullptr) {
        problem = scan_custom_archive(source, sink, counter->events());
    } else {
        std::vector<std::byte> buffer(buffer_size);
        while (std::size_t n = source(buffer)) sink(std::span(buffer.data(), n));
    }
    if (!program.wait()) throw error(HF_ERR_FAILED, program.failure());
    return problem;
}

table_filter filter_of(const backup_options& o) {
    table_filter f;
    for (const auto& p : o.tables) f.tables.emplace_back(p);
    for (const auto& p : o.exclude_tables) f.exclude_tables.emplace_back(p);
    for (const auto& p : o.schemas) f.schemas.emplace_back(p);
    for (const auto& p : o.exclude_schemas) f.exclude_schemas.emplace_back(p);
    return f;
}

}  // namespace

void run_backup(const settings& config, const backup_options& options, holdfast::plugin::backup_sink& sink,
                holdfast::plugin::host_services host) {
    const endpoint server{config.connection, config.password};
    connection conn = connection::open(server);
    const client_tools tools = find_client_tools(config, conn.server_version());
    const user_privileges privileges = current_privileges(conn);
    if (options.role_passwords && !privileges.superuser)
        throw error(HF_ERR_PERMISSION, "--role-passwords needs a superuser (role passwords are readable only to "
                                       "superusers); " + privileges.user + " is not one");
    // The programs start before their output is read, so that their start-up (connecting,
    // reading the catalog) overlaps ours: pg_dumpall runs while the databases are listed and
    // the first one's snapshot is taken, and each pg_dump while its database's catalog is
    // read. Their pipes hold what they write meanwhile. The globals stream is still stored
    // first.
    std::unique_ptr<child> globals;
    if (!options.no_globals) globals = child::start(pg_dumpall_globals_run(tools, server, options.role_passwords));

    const auto selected = select_databases(list_databases(conn), options.databases.empty() ? config.databases : options.databases,
                                           [&] {
                                               auto excluded = config.exclude_databases;
                                               excluded.insert(excluded.end(), options.exclude_databases.begin(),
                                                               options.exclude_databases.end());
                                               return excluded;
                                           }());
    snapshot_metadata meta;
    meta.server_version_num = conn.server_version();
    meta.server_version = version_text(meta.server_version_num);
    meta.pg_dump_version = tools.version;
    meta.globals = !options.no_globals;
    meta.role_passwords = options.role_passwords;
    meta.selection = {options.schema_only, options.data_only, options.tables, options.exclude_tables, options.schemas,
                      options.exclude_schemas};
    std::uint64_t total = 0, done = 0;
    for (const auto& d : selected) total += d.size.value_or(0);
    host.info("backing up " + std::to_string(selected.size()) + " database(s) of PostgreSQL " + meta.server_version +
              " with " + tools.pg_dump.string() + " " + tools.version);

    const auto store_globals = [&] {
        if (!globals) return;
        auto stream = sink.begin(std::string(globals_stream));
        pump(*globals, stream, host, done, total);
        stream.finish();
        globals.reset();
    };
    const table_filter filter = filter_of(options);
    for (const auto& d : selected) {
        host.throw_if_cancelled();
        const endpoint where = server.with_database(d.name);
        // One transaction holds the snapshot pg_dump dumps from; the catalog is read in it.
        connection snapshot_conn = connection::open(where);
        snapshot_conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        const std::string snapshot_id = snapshot_conn.exec("SELECT pg_export_snapshot()").text(0, 0);
        const auto dump = child::start(pg_dump_run(tools, where, meta.selection, snapshot_id));
        database_record record{d.name, database_stream(d.name), d.owner, d.encoding, d.collate, d.ctype,
                               d.size.value_or(0), d.settings, d.acl, read_extensions(snapshot_conn),
                               read_referenced_roles(snapshot_conn, d), read_tables(snapshot_conn, filter)};
        store_globals();
        auto stream = sink.begin(record.stream);
        if (options.schema_only) {
            pump(*dump, stream, host, done, total);
        } else {
            archive_tables counter;
            const auto problem = pump(*dump, stream, host, done, total, &counter);
            if (problem.empty() && counter.complete()) {
                counter.assign(record.tables);
            } else {  // not expected from pg_dump -Fc -Z0; count in pg_dump's snapshot instead
                host.debug("postgresql: rows counted with SELECT count(*): the archive of " + d.name +
                           " was not read (" + (problem.empty() ? "compressed" : problem) + ")");
                count_rows(snapshot_conn, record.tables);
            }
        }
        stream.finish();
        snapshot_conn.exec("COMMIT");
        meta.databases.push_back(std::move(record));
    }
    store_globals();  // when no database was selected
    sink.set_metadata(plugin::to_json_text(to_json(meta)));
}

}  // namespace holdfast::engines::postgresql
