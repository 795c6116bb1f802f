// Reading a configuration file into a `config`: the YAML structure of the
// repository, sources and plugins sections, ${VAR} interpolation of their
// values, and every structural problem with its position. Plugin settings are
// checked later, against the plugin's schema (settings.hpp).
#pragma once

#include "cli/command.hpp"
#include "config/config.hpp"
#include "config/problems.hpp"

#include <filesystem>
#include <string_view>

namespace holdfast::config {

// Parse configuration text. `file` names it in messages, and relative *_file
// paths are taken from its directory. Every problem goes to `problems`; the
// result holds whatever could be understood.
config parse(std::string_view text, const std::filesystem::path& file, problem_list& problems);

// Read and parse `file`; a file that cannot be read is a problem too.
config read(const std::filesystem::path& file, problem_list& problems);

// Locate (locate.hpp) and read the configuration. No file at all gives an empty
// configuration. Throws config_error listing every error; warnings are logged.
config load(const cli::global_options& options);

}  // namespace holdfast::config
