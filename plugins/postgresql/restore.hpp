// `holdfast restore` for postgresql: plan, check everything, create missing roles, then
// restore each database (database_restore.hpp); and --rollback.
#pragma once

#include "connection.hpp"
#include "restore_options.hpp"
#include "settings.hpp"

#include <holdfast/plugin/engine.hpp>

#include <set>
#include <string>
#include <vector>

namespace holdfast::engines::postgresql {

// Returns the report: one JSON object.
std::string run_restore(const settings& config, const restore_options& options,
                        holdfast::plugin::restore_source& source, holdfast::plugin::host_services host);

// Swaps the newest <name>_pre_restore_* back into place.
std::string run_rollback(const settings& config, const restore_options& options, holdfast::plugin::host_services host);

// The maintenance connection for renames and drops must not be connected to a database it
// renames: when `busy` is the endpoint's own database, template1 is used instead.
endpoint admin_endpoint(const endpoint& server, const std::vector<std::string>& busy);

bool has_stream(const holdfast::plugin::restore_source& source, std::string_view name);
// A whole (small) stream: the globals script.
std::string read_stream(holdfast::plugin::restore_source& source, const std::string& name);

// Runs the globals statements that create `roles`, in one transaction.
std::vector<std::string> create_roles(connection& admin, const std::string& globals_script,
                                      const std::set<std::string>& roles);

}  // namespace holdfast::engines::postgresql
