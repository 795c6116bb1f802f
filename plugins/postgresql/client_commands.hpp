// The client programs' command lines, in one place: what pg_dump, pg_dumpall and pg_restore
// are asked to do. The connection goes in --dbname without the password; the password only
// in the environment (endpoint::child_environment).
#pragma once

#include "client_tools.hpp"
#include "connection.hpp"
#include "child.hpp"
#include "metadata.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holdfast::engines::postgresql {

// pg_dump of `database` as a custom-format archive, uncompressed, on stdout. `snapshot`: an
// exported snapshot to dump from (pg_export_snapshot).
program_run pg_dump_run(const client_tools& tools, const endpoint& database, const selection_record& selection,
                        const std::optional<std::string>& snapshot);

// pg_dumpall --globals-only on stdout.
program_run pg_dumpall_globals_run(const client_tools& tools, const endpoint& server, bool role_passwords);

struct restore_selection {
    std::vector<std::string> tables, schemas;
    bool schema_only = false, data_only = false;
    // Selective restores into an existing database: drop what is restored first, all in
    // one transaction.
    bool clean_in_one_transaction = false;
    int jobs = 1;
};

// pg_restore into `database`, stopping at the first error; reads the archive from stdin,
// or from `archive_file` (needed for jobs > 1).
program_run pg_restore_run(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                           const std::optional<std::string>& archive_file);

// One step of a parallel restore of a whole archive (parallel_restore.hpp): pg_restore of
// the given sections ("pre-data", "data", "post-data"), only the entries named in
// `list_file` when there is one, from `archive_file` or else stdin.
struct pg_restore_step {
    std::vector<std::string> sections;
    std::optional<std::string> list_file;
    int jobs = 1;
    std::optional<std::string> archive_file;
};
program_run pg_restore_step_run(const client_tools& tools, const endpoint& database, const pg_restore_step& step);

}  // namespace holdfast::engines::postgresql
