// Options of one backup run (docs/engines/postgresql.md, "Backup options").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace holdfast::engines::postgresql {

struct backup_options {
    std::vector<std::string> databases, exclude_databases;
    std::vector<std::string> tables, exclude_tables, schemas, exclude_schemas;  // pg_dump patterns
    bool schema_only = false, data_only = false;
    bool no_globals = false;
    bool role_passwords = false;
};

// Throws plugin::error(HF_ERR_INVALID_ARGUMENT) for unknown keys, wrong types, or
// --schema-only together with --data-only.
backup_options parse_backup_options(std::string_view json);

}  // namespace holdfast::engines::postgresql
