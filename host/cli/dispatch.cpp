// Parses the command line, finds the command, sets up logging and runs it.
// Global options are accepted before or after the command name; everything
// else after the command name belongs to the command.
#include "cli/command.hpp"
#include "cli/engine_options.hpp"
#include "core/text.hpp"
#include "cli/help.hpp"
#include "core/cancellation.hpp"
#include "logging/logging.hpp"

#include <holdfast/abi.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {
namespace {

// -v/-vv/-q are counted by hand: program_options has no counting switch.
std::vector<std::string> take_verbosity(std::vector<std::string> args, int& verbosity) {
    std::vector<std::string> rest;
    bool after_separator = false;
    for (auto& arg : args) {
        if (!after_separator && arg == "--") after_separator = true;
        if (!after_separator && (arg == "--verbose" || arg == "--quiet")) {
            verbosity += arg == "--verbose" ? 1 : -1;
        } else if (!after_separator && arg.size() >= 2 && arg[0] == '-' && arg[1] != '-' &&
                   arg.find_first_not_of(arg[1], 1) == std::string::npos && (arg[1] == 'v' || arg[1] == 'q')) {
            int count = static_cast<int>(arg.size() - 1);
            verbosity += arg[1] == 'v' ? count : -count;
        } else {
            rest.push_back(std::move(arg));
        }
    }
    return rest;
}

const command* find_command(const std::vector<command>& commands, const std::string& name) {
    auto it = std::find_if(commands.begin(), commands.end(), [&](const command& c) { return c.name == name; });
    return it == commands.end() ? nullptr : &*it;
}

std::vector<std::string> subcommands_of(const std::vector<command>& commands, const std::string& group) {
    std::vector<std::string> names;
    for (const auto& c : commands)
        if (c.name.rfind(group + " ", 0) == 0) names.push_back(c.name.substr(group.size() + 1));
    return names;
}

int report_error(std::ostream& err, const std::string& message, exit_code code, bool json_logs) {
    if (json_logs) spdlog::error("{}", message);
    else err << "holdfast: " << message << '\n';
    return static_cast<int>(code);
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    global_options global;
    const auto commands = command_table();
    std::string command_name;
    bool json_logs = false;
    try {
        std::vector<std::string> args = take_verbosity(std::vector<std::string>(argv + 1, argv + argc), global.verbosity);

        po::options_description global_desc = global_options_description(global);
        po::options_description hidden;
        hidden.add_options()("command", po::value<std::string>())("args", po::value<std::vector<std::string>>());
        po::options_description all;
        all.add(global_desc).add(hidden);
        po::positional_options_description positional;
        positional.add("command", 1).add("args", -1);

        po::parsed_options parsed =
            po::command_line_parser(args).options(all).positional(positional).style(parse_style).allow_unregistered().run();
        po::variables_map vm;
        po::store(parsed, vm);
        po::notify(vm);
        if (vm.count("config")) global.config = vm["config"].as<std::string>();
        if (vm.count("plugin-path")) global.plugin_path = vm["plugin-path"].as<std::vector<std::string>>();
        json_logs = global.log_format == "json";
        const bool want_help = vm.count("help") > 0;

        if (vm.count("version")) {
            out << "holdfast " << HOLDFAST_VERSION << " (plugin ABI " << HF_ABI_VERSION_MAJOR << '.'
                << HF_ABI_VERSION_MINOR << ")\n";
            return 0;
        }
        if (!vm.count("command")) {
            if (want_help) {
                print_program_help(out, commands, global_desc);
                return 0;
            }
            print_program_usage(err);
            return static_cast<int>(exit_code::usage);
        }

        // Everything the global parser did not claim, in order, minus the command name.
        std::vector<std::string> rest = po::collect_unrecognized(parsed.options, po::include_positional);
        rest.erase(rest.begin());
        command_name = vm["command"].as<std::string>();
        const command* cmd = nullptr;
        if (!rest.empty() && rest.front().rfind("-", 0) != 0 &&
            (cmd = find_command(commands, command_name + " " + rest.front())) != nullptr) {
            command_name = cmd->name;
            rest.erase(rest.begin());
        } else {
            cmd = find_command(commands, command_name);
        }
        if (cmd == nullptr) {
            auto subs = subcommands_of(commands, command_name);
            if (!subs.empty()) {
                if (want_help) {
                    print_group_help(out, commands, command_name);
                    return 0;
                }
                throw usage_error("'holdfast " + command_name + "' needs a subcommand: " + join(subs, ", ") +
                                  "; see 'holdfast " + command_name + " --help'");
            }
            throw usage_error("unknown command '" + command_name + "'" + suggestion(commands, command_name) +
                              "; run 'holdfast --help' for the list");
        }

        po::options_description own(cmd->name + " options");
        po::positional_options_description own_positional;
        if (cmd->define) cmd->define(own, own_positional);
        // Commands taking engine options need the installed engines' manifests to parse.
        const bool engine_options = !cmd->engine_options.empty();
        std::optional<plugins::catalog> installed;
        if (engine_options) installed.emplace(installed_plugins(global));
        if (want_help) {
            print_command_help(out, *cmd, own, global_desc,
                               engine_options ? engine_option_sections(*installed, cmd->engine_options, own)
                                              : std::vector<po::options_description>{});
            return 0;
        }
        po::variables_map own_vm;
        if (engine_options) {
            own_vm = parse_command_arguments(rest, *cmd, own, own_positional, *installed);
        } else {
            po::store(po::command_line_parser(rest).options(own).positional(own_positional).style(parse_style).run(),
                      own_vm);
            po::notify(own_vm);
        }

        logging::setup(global.log_level, global.verbosity, global.log_format);
        install_cancellation_handlers();
        context ctx{global, out, err, cmd, rest};
        int code = cmd->run(ctx, own_vm);
        out.flush();
        return code;
    } catch (const po::error& e) {
        std::string where = command_name.empty() ? "holdfast" : "holdfast " + command_name;
        return report_error(err, std::string(e.what()) + "; see '" + where + " --help'", exit_code::usage, json_logs);
    } catch (const error& e) {
        return report_error(err, e.what(), cancellation_requested() ? exit_code::interrupted : e.code(), json_logs);
    } catch (const std::exception& e) {
        return report_error(err, e.what(), cancellation_requested() ? exit_code::interrupted : exit_code::failure,
                            json_logs);
    }
}

}  // namespace holdfast::cli
