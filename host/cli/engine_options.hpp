// The command-line options engines declare in their manifests (docs/plugins.md, "Engine
// options"), for backup, restore, verify and clone. Which engine a command talks to depends
// on its arguments (the source, the snapshot), so parsing takes two steps:
//   1. the dispatcher parses the command's own options together with those of every
//      installed engine, so that an engine option's value is never taken for a positional
//      argument; options nobody declares are let through (parse_command_arguments);
//   2. the command, once it knows its engine, parses the same arguments again with its own
//      options and that engine's alone: an option of another engine, or of none, is then an
//      error naming the engine, and the values become the engine's options JSON
//      (parse_engine_options).
#pragma once

#include "cli/command.hpp"
#include "plugins/catalog.hpp"
#include "plugins/manifest.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace holdfast::cli {

// The plugins installed and enabled, from their manifests alone (nothing is loaded). The
// configuration is read only for plugins.enable/disable, and quietly: its problems are
// reported by the command that uses it, not twice.
plugins::catalog installed_plugins(const global_options& global);

// The options of each installed engine for `command` (a manifest section: "restore"), one
// description per engine titled "Options of the <name> engine", for --help. Options the
// command itself defines (`own`) are left out: the host's win.
std::vector<po::options_description> engine_option_sections(const plugins::catalog& catalog, std::string_view command,
                                                            const po::options_description& own);

// Step 1: the command's own options from `args`, with every installed engine's options of
// `cmd.engine_options` recognised and left for step 2. An option nobody declares is let
// through too, unless the positional arguments then cannot be told apart from its value
// (`--foo bar SNAPSHOT`): that is a usage_error right away.
po::variables_map parse_command_arguments(const std::vector<std::string>& args, const command& cmd,
                                          const po::options_description& own,
                                          const po::positional_options_description& positional,
                                          const plugins::catalog& catalog);

// What step 2 found.
struct engine_option_values {
    // The options given, by the manifest's keys: {"tables": ["a", "b"], "jobs": 4,
    // "schema_only": true}. Booleans appear only when given; "format": "path" values are
    // absolute.
    nlohmann::json json = nlohmann::json::object();
    // The "standalone" options given, as typed ("--rollback app"): a restore that needs no
    // snapshot.
    std::vector<std::string> standalone;
};

// Step 2, for the command in `ctx.current` and its arguments `ctx.arguments`, against
// `engine`'s options. Throws usage_error for an option neither knows ("--foo is not an
// option of holdfast restore or of the sqlite engine; see 'holdfast restore --help'"), and
// program_options' errors for bad values.
engine_option_values parse_engine_options(const context& ctx, const plugins::manifest& engine);

}  // namespace holdfast::cli
