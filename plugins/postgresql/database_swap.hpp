// Putting a restored database into place by renames: both renames run in one transaction,
// so at every moment the name refers to either the old or the new database, never to
// nothing. Connections to the old one are ended first when the user allowed it.
#pragma once

#include "connection.hpp"

#include <optional>
#include <string>

namespace holdfast::engines::postgresql {

// Renames `name` (when it exists) to `previous_as`, then `incoming` to `name`. With
// `terminate`, connections are refused and ended before the renames; the old database
// accepts connections again afterwards. Returns the kept name, or nothing when `name` did
// not exist.
std::optional<std::string> swap_databases(connection& admin, const std::string& name, const std::string& incoming,
                                          const std::string& previous_as, bool terminate);

// Ends other sessions on `database`; it refuses new ones until allow_connections.
void end_sessions(connection& admin, const std::string& database);
void allow_connections(connection& admin, const std::string& database);

}  // namespace holdfast::engines::postgresql
