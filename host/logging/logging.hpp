// Logging through spdlog, to stderr: readable text by default, JSON lines for
// machines. Results of commands go to stdout and never through the logger.
#pragma once

#include <string>
#include <string_view>

namespace holdfast::logging {

enum class format { text, json };

// Configure the default logger. The level comes from `level_name` (the
// --log-level option) or else the HOLDFAST_LOG environment variable, or else
// "info"; each -v (verbosity > 0) lowers it one step, each -q raises it.
// Throws holdfast::usage_error for an unknown level or format name.
void setup(std::string_view level_name, int verbosity, std::string_view format_name);

}  // namespace holdfast::logging
