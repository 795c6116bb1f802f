// Options of one restore, drill or clone (docs/engines/postgresql.md, "Restore").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::engines::postgresql {

struct restore_options {
    std::vector<std::string> databases, tables, schemas;
    std::optional<std::string> target, rollback;
    int jobs = 1;
    bool schema_only = false, data_only = false;
    bool force = false, no_create_roles = false, terminate_connections = false;
    bool keep_previous = true, dry_run = false;

    bool selective() const { return !tables.empty() || !schemas.empty(); }
};

// Throws plugin::error(HF_ERR_INVALID_ARGUMENT) for unknown keys, wrong types and
// combinations that cannot work (--jobs with an in-place selective restore, ...).
restore_options parse_restore_options(std::string_view json);

// A clone's options: {"database", "target"} plus jobs, force, no_create_roles,
// terminate_connections, dry_run.
restore_options parse_clone_options(std::string_view json);

}  // namespace holdfast::engines::postgresql
