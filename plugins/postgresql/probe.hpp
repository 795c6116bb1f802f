// The probe: reachable or not, server version, whether the user's privileges are enough for
// a full backup, the databases with sizes, and whether the client programs can dump it.
#pragma once

#include "settings.hpp"

#include <string>

namespace holdfast::engines::postgresql {

std::string probe_server(const settings& config);

}  // namespace holdfast::engines::postgresql
