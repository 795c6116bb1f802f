#include "backup.hpp"

#include "client_commands.hpp"
#include "database_catalog.hpp"
#include "database_selection.hpp"
#include "json_fields.hpp"
#include "stream_names.hpp"

#include <array>
#include <exception>
#include <thread>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

constexpr std::size_t buffer_size = 1 << 20;

// Copies a program's stdout into a stream; throws with the program's last stderr lines
// when it fails. Returns the bytes copied.
std::uint64_t pump(const program_run& run, holdfast::plugin::output_stream& stream, holdfast::plugin::host_services host,
                   std::uint64_t& done, std::uint64_t total) {
    auto program = child::start(run);
    std::vector<std::byte> buffer(buffer_size);
    std::uint64_t copied = 0;
    const auto cancelled = [&host] { return host.cancelled(); };
    while (std::size_t n = program->read(buffer, cancelled)) {
        stream.write(std::span(buffer.data(), n));
        copied += n;
        done += n;
        host.progress("dump", done, total);
    }
    if (!program->wait()) throw error(HF_ERR_FAILED, program->failure());
    return copied;
}

// Row counts run beside pg_dump on the connection that exported its snapshot. If the
// backup stops early, the query is cancelled before the thread is joined.
class row_counter {
public:
    row_counter(connection& conn, std::vector<table_record>& tables) : conn_(conn) {
        thread_ = std::thread([this, &tables] {
            try {
                count_rows(conn_, tables);
            } catch (...) {
                failure_ = std::current_exception();
            }
        });
    }
    row_counter(const row_counter&) = delete;
    row_counter& operator=(const row_counter&) = delete;
    ~row_counter() {
        if (!thread_.joinable()) return;
        if (PGcancel* cancel = PQgetCancel(conn_.raw())) {
            std::array<char, 256> message{};
            PQcancel(cancel, message.data(), static_cast<int>(message.size()));
            PQfreeCancel(cancel);
        }
        thread_.join();
    }
    void finish() {
        thread_.join();
        if (failure_) std::rethrow_exception(failure_);
    }

private:
    connection& conn_;
    std::thread thread_;
    std::exception_ptr failure_;
};

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

    if (meta.globals) {
        auto stream = sink.begin(std::string(globals_stream));
        pump(pg_dumpall_globals_run(tools, server, options.role_passwords), stream, host, done, total);
        stream.finish();
    }
    const table_filter filter = filter_of(options);
    for (const auto& d : selected) {
        host.throw_if_cancelled();
        const endpoint where = server.with_database(d.name);
        // One transaction holds the snapshot pg_dump dumps from, and the counts are taken in it.
        connection snapshot_conn = connection::open(where);
        snapshot_conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        const std::string snapshot_id = snapshot_conn.exec("SELECT pg_export_snapshot()").text(0, 0);
        database_record record{d.name, database_stream(d.name), d.owner, d.encoding, d.collate, d.ctype,
                               d.size.value_or(0), d.settings, d.acl, read_extensions(snapshot_conn),
                               read_referenced_roles(snapshot_conn, d), read_tables(snapshot_conn, filter)};
        auto stream = sink.begin(record.stream);
        if (options.schema_only) {
            pump(pg_dump_run(tools, where, meta.selection, snapshot_id), stream, host, done, total);
        } else {
            row_counter counter(snapshot_conn, record.tables);
            pump(pg_dump_run(tools, where, meta.selection, snapshot_id), stream, host, done, total);
            counter.finish();
        }
        stream.finish();
        snapshot_conn.exec("COMMIT");
        meta.databases.push_back(std::move(record));
    }
    sink.set_metadata(to_json_text(to_json(meta)));
}

}  // namespace holdfast::engines::postgresql
