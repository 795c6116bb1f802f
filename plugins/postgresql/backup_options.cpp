#include "backup_options.hpp"

#include <holdfast/plugin/json_fields.hpp>

#include <holdfast/plugin/common.hpp>

namespace holdfast::engines::postgresql {

backup_options parse_backup_options(std::string_view json) {
    plugin::json_fields fields(json, "postgresql backup options");
    backup_options o;
    o.databases = fields.strings("databases");
    o.exclude_databases = fields.strings("exclude_databases");
    o.tables = fields.strings("tables");
    o.exclude_tables = fields.strings("exclude_tables");
    o.schemas = fields.strings("schemas");
    o.exclude_schemas = fields.strings("exclude_schemas");
    o.schema_only = fields.boolean("schema_only").value_or(false);
    o.data_only = fields.boolean("data_only").value_or(false);
    o.no_globals = fields.boolean("no_globals").value_or(false);
    o.role_passwords = fields.boolean("role_passwords").value_or(false);
    fields.reject_unknown();
    if (o.schema_only && o.data_only)
        throw plugin::error(HF_ERR_INVALID_ARGUMENT, "--schema-only and --data-only cannot be used together");
    if (o.no_globals && o.role_passwords)
        throw plugin::error(HF_ERR_INVALID_ARGUMENT, "--role-passwords needs the globals: drop --no-globals");
    return o;
}

}  // namespace holdfast::engines::postgresql
