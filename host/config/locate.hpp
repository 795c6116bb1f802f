// Which configuration file holdfast reads. The order is part of the user
// interface (docs/configuration.md, "Where the file is found"):
//   1. --config FILE
//   2. $HOLDFAST_CONFIG
//   3. ./holdfast.yaml
//   4. $XDG_CONFIG_HOME/holdfast/holdfast.yaml (XDG_CONFIG_HOME defaults to ~/.config)
//   5. /etc/holdfast/holdfast.yaml
// A file named by 1 or 2 must exist; 3 to 5 are taken when they exist.
#pragma once

#include "cli/command.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace holdfast::config {

// Places 3 to 5, in order, as they are looked up from the current environment.
std::vector<std::filesystem::path> default_locations();

// The file to read, or nullopt when none was named and none exists (an empty
// configuration). Throws holdfast::usage_error when a named file does not exist.
std::optional<std::filesystem::path> locate(const cli::global_options& options);

}  // namespace holdfast::config
