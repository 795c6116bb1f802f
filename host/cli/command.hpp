// How a CLI command is described and run. Each command lives in its own file
// under cli/commands/ and returns its `command` from a factory function listed
// in command_table.cpp: adding a command is one new file and one line there.
#pragma once

#include "core/error.hpp"

#include <boost/program_options.hpp>

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace holdfast::cli {

namespace po = boost::program_options;

// How command lines are parsed: Boost's default style without guessing abbreviated option
// names, since a backup tool must not turn a typo into a different option.
inline constexpr int parse_style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

struct command;

// Options accepted by every command, before or after the command name.
struct global_options {
    bool json = false;                              // --json: machine-readable output
    int verbosity = 0;                              // +1 per -v, -1 per -q
    std::optional<std::filesystem::path> config;    // --config FILE
    std::vector<std::string> plugin_path;           // --plugin-path DIR (repeatable; replaces the search)
    std::string log_format = "text";                // --log-format text|json
    std::string log_level;                          // --log-level LEVEL (overrides HOLDFAST_LOG)
};

// What a running command gets from the invocation.
struct context {
    // A constructor rather than an aggregate, so that `context{global, out, err}` (tests,
    // commands without engine options) need not name the members they leave empty.
    context(const global_options& given, std::ostream& out_stream, std::ostream& err_stream,
            const command* running = nullptr, std::vector<std::string> command_arguments = {})
        : global(given), out(out_stream), err(err_stream), current(running),
          arguments(std::move(command_arguments)) {}

    const global_options& global;
    std::ostream& out;  // results (stdout)
    std::ostream& err;  // human messages (stderr); logs go through spdlog
    // For commands taking engine options: the command and its arguments as given, which
    // it parses again once it knows its engine (cli/engine_options.hpp).
    const command* current = nullptr;
    std::vector<std::string> arguments;
};

struct command {
    std::string name;     // "plugins", or two words for a sub-command: "config check"
    std::string summary;  // one line, shown in `holdfast --help`
    std::string usage;    // e.g. "holdfast plugins [--json]"
    std::string details;  // optional paragraph shown in `holdfast <command> --help`
    // Declare the command's own options and positional arguments (may be empty).
    std::function<void(po::options_description&, po::positional_options_description&)> define;
    // Run; returns the process exit code. Throw holdfast::error (or a subclass)
    // for failures: the dispatcher prints its message as one line and returns
    // its exit code.
    std::function<int(context&, const po::variables_map&)> run;
    // Set for commands that also take the options engines declare in their manifests:
    // "backup", "restore", "verify" or "clone" (the manifest's section). Options the
    // command does not define then reach it in context::arguments, and --help lists every
    // installed engine's (cli/engine_options.hpp).
    std::string engine_options;
};

// Every command, in the order `holdfast --help` lists them.
std::vector<command> command_table();

// Parse argv, dispatch, print errors; returns the process exit code.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace holdfast::cli
