// Probe: can the configured commands be started here?
#pragma once

#include "settings.hpp"

#include <string>

namespace holdfast::engines::exec {

// {"reachable": bool, "backup_command": {...}|null, "restore_command": {...}|null,
//  "working_directory"?, "error"?}. Looks up programs on the child's PATH; runs nothing.
std::string probe_commands(const settings& config);

}  // namespace holdfast::engines::exec
