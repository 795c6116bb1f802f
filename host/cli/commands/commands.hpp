// Factories of every CLI command, one per file in this folder.
#pragma once

#include "cli/command.hpp"

namespace holdfast::cli {

command plugins_command();         // plugins.cpp
command config_check_command();    // config_check.cpp
command config_example_command();  // config_example.cpp

}  // namespace holdfast::cli
