#include "database_restore.hpp"

#include "database_names.hpp"
#include "database_swap.hpp"
#include "scratch_database.hpp"
#include "server_info.hpp"

#include <chrono>

namespace holdfast::engines::postgresql {

namespace {

restore_selection selection_of(const restore_options& options, const database_step& step) {
    restore_selection s;
    s.tables = options.tables;
    s.schemas = options.schemas;
    s.schema_only = options.schema_only;
    s.data_only = options.data_only;
    s.clean_in_one_transaction = step.mode == restore_mode::into_existing && !options.data_only;
    s.jobs = options.jobs;
    return s;
}

}  // namespace

step_outcome restore_step(connection& admin, const endpoint& server, const client_tools& tools,
                          const database_step& step, const restore_options& options, const archive_input& input,
                          holdfast::plugin::host_services host) {
    const auto started = std::chrono::steady_clock::now();
    step_outcome out{step.record->name, step.into, std::nullopt, {}, 0};
    const restore_selection selection = selection_of(options, step);
    if (step.mode == restore_mode::into_existing) {
        host.info("restoring into the existing database " + step.into + " in one transaction");
        out.fed = feed_pg_restore(tools, server.with_database(step.into), selection, input, host);
    } else {
        scratch_database incoming(admin, temporary_name(step.into), *step.record, host);
        host.info("restoring " + step.record->name + " into the temporary database " + incoming.name());
        if (!options.schemas.empty()) {
            // pg_restore --schema restores what is in a schema, never the schema itself.
            connection fresh = connection::open(server.with_database(incoming.name()));
            for (const auto& schema : options.schemas)
                fresh.exec("CREATE SCHEMA IF NOT EXISTS " + fresh.quote_identifier(schema));
        }
        out.fed = feed_pg_restore(tools, server.with_database(incoming.name()), selection, input, host);
        incoming.apply_database_properties(*step.record);
        host.throw_if_cancelled();
        if (step.mode == restore_mode::replace) {
            const auto taken = [&admin](const std::string& name) { return find_database(admin, name).has_value(); };
            out.kept_previous = swap_databases(admin, step.into, incoming.name(), previous_name(step.into, taken),
                                               options.terminate_connections);
        } else {
            admin.exec("ALTER DATABASE " + admin.quote_identifier(incoming.name()) + " RENAME TO " +
                       admin.quote_identifier(step.into));
        }
        incoming.release();
        if (out.kept_previous && !options.keep_previous) {
            drop_database(admin, *out.kept_previous);
            out.kept_previous.reset();
        }
    }
    out.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return out;
}

nlohmann::json describe(const step_outcome& o) {
    return {{"name", o.database},
            {"restored_into", o.into},
            {"kept_previous", o.kept_previous ? nlohmann::json(*o.kept_previous) : nlohmann::json(nullptr)},
            {"bytes", o.fed.bytes},
            {"spooled_bytes", o.fed.spooled_bytes},
            {"tables_read_directly", o.fed.tables_read_directly},
            {"built_beside_data", o.fed.built_beside_data},
            {"duration_ms", o.duration_ms}};
}

}  // namespace holdfast::engines::postgresql
