#include "restore_options.hpp"

#include <holdfast/plugin/json_fields.hpp>

#include <holdfast/plugin/common.hpp>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

constexpr int max_jobs = 64;

void read_common(plugin::json_fields& fields, restore_options& o) {
    const auto jobs = fields.integer("jobs").value_or(1);
    if (jobs < 1 || jobs > max_jobs)
        throw error(HF_ERR_INVALID_ARGUMENT, "--jobs must be from 1 to " + std::to_string(max_jobs));
    o.jobs = static_cast<int>(jobs);
    o.force = fields.boolean("force").value_or(false);
    o.no_create_roles = fields.boolean("no_create_roles").value_or(false);
    o.terminate_connections = fields.boolean("terminate_connections").value_or(false);
    o.dry_run = fields.boolean("dry_run").value_or(false);
}

}  // namespace

restore_options parse_restore_options(std::string_view json) {
    plugin::json_fields fields(json, "postgresql restore options");
    restore_options o;
    o.databases = fields.strings("databases");
    o.tables = fields.strings("tables");
    o.schemas = fields.strings("schemas");
    o.target = fields.string("target");
    o.rollback = fields.string("rollback");
    o.schema_only = fields.boolean("schema_only").value_or(false);
    o.data_only = fields.boolean("data_only").value_or(false);
    o.keep_previous = fields.boolean("keep_previous").value_or(true);
    read_common(fields, o);
    fields.reject_unknown();
    if (o.schema_only && o.data_only)
        throw error(HF_ERR_INVALID_ARGUMENT, "--schema-only and --data-only cannot be used together");
    if (o.target && o.target->empty()) throw error(HF_ERR_INVALID_ARGUMENT, "--target needs a database name");
    if (o.rollback && (o.target || !o.databases.empty() || o.selective() || o.schema_only || o.data_only))
        throw error(HF_ERR_INVALID_ARGUMENT, "--rollback takes no other restore options but --terminate-connections, "
                                             "--no-keep-previous and --dry-run");
    const bool in_place = !o.target && (o.selective() || o.data_only);
    if (in_place && o.jobs > 1)
        throw error(HF_ERR_INVALID_ARGUMENT, "--jobs cannot be used when restoring into an existing database "
                                             "(--table, --schema or --data-only without --target): that runs in "
                                             "one transaction");
    return o;
}

restore_options parse_clone_options(std::string_view json) {
    plugin::json_fields fields(json, "postgresql clone options");
    restore_options o;
    if (auto database = fields.string("database")) o.databases.push_back(*database);
    o.target = fields.string("target");
    read_common(fields, o);
    fields.reject_unknown();
    if (o.databases.empty() || !o.target || o.target->empty())
        throw error(HF_ERR_INVALID_ARGUMENT, "clone needs a database and a target database name");
    return o;
}

}  // namespace holdfast::engines::postgresql
