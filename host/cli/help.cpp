#include "cli/help.hpp"

#include "core/suggest.hpp"

#include <algorithm>
#include <iomanip>

namespace holdfast::cli {
namespace {

constexpr const char* exit_codes_text =
    "Exit codes: 0 success, 1 failure, 2 usage or configuration error, 3 plugin unavailable,\n"
    "            4 repository locked, 5 check or verification found problems, 130 interrupted.\n";

std::size_t name_width(const std::vector<command>& commands) {
    std::size_t width = 0;
    for (const auto& c : commands) width = std::max(width, c.name.size());
    return width + 2;
}

}  // namespace

po::options_description global_options_description(global_options& global) {
    po::options_description desc("Global options");
    desc.add_options()
        ("help,h", "show help for the program or a command")
        ("version", "print the version and the plugin ABI version")
        ("json", po::bool_switch(&global.json), "machine-readable JSON output for listings and reports")
        ("verbose,v", "more log detail (repeatable: -vv)")
        ("quiet,q", "less log detail (repeatable)")
        ("config", po::value<std::string>()->value_name("FILE"),
         "configuration file (default: HOLDFAST_CONFIG, ./holdfast.yaml, ~/.config/holdfast/holdfast.yaml, "
         "/etc/holdfast/holdfast.yaml)")
        ("plugin-path", po::value<std::vector<std::string>>()->composing()->value_name("DIR"),
         "search only these plugin directories (repeatable; overrides HOLDFAST_PLUGIN_PATH)")
        ("log-format", po::value<std::string>(&global.log_format)->default_value("text")->value_name("FORMAT"),
         "log format on stderr: text or json")
        ("log-level", po::value<std::string>(&global.log_level)->value_name("LEVEL"),
         "trace, debug, info, warn, error or off (default: HOLDFAST_LOG, else info)");
    return desc;
}

void print_program_usage(std::ostream& out) {
    out << "Usage: holdfast [global options] <command> [options]\n"
           "Run 'holdfast --help' for the list of commands.\n";
}

void print_program_help(std::ostream& out, const std::vector<command>& commands,
                        const po::options_description& global_desc) {
    out << "holdfast " << HOLDFAST_VERSION << " - database backup and recovery\n\n"
        << "Usage: holdfast [global options] <command> [options]\n\nCommands:\n";
    const std::size_t width = name_width(commands);
    for (const auto& c : commands) out << "  " << std::left << std::setw(static_cast<int>(width)) << c.name << c.summary << '\n';
    out << '\n' << global_desc << '\n'
        << "Run 'holdfast <command> --help' for a command's options.\n" << exit_codes_text;
}

void print_group_help(std::ostream& out, const std::vector<command>& commands, const std::string& group) {
    out << "Usage: holdfast " << group << " <subcommand> [options]\n\nSubcommands:\n";
    std::vector<command> members;
    std::copy_if(commands.begin(), commands.end(), std::back_inserter(members),
                 [&](const command& c) { return c.name.rfind(group + " ", 0) == 0; });
    const std::size_t width = name_width(members);
    for (const auto& c : members) out << "  " << std::left << std::setw(static_cast<int>(width)) << c.name << c.summary << '\n';
}

void print_command_help(std::ostream& out, const command& cmd, const po::options_description& own,
                        const po::options_description& global_desc,
                        const std::vector<po::options_description>& engine_sections) {
    out << "Usage: " << cmd.usage << "\n\n" << cmd.summary << '\n';
    if (!cmd.details.empty()) out << '\n' << cmd.details << '\n';
    if (!own.options().empty()) out << '\n' << own;
    for (const auto& section : engine_sections) out << '\n' << section;
    out << '\n' << global_desc << '\n' << exit_codes_text;
}

std::string suggestion(const std::vector<command>& commands, const std::string& name) {
    std::vector<std::string> names;
    for (const auto& c : commands) {
        names.push_back(c.name);
        if (auto space = c.name.find(' '); space != std::string::npos) names.push_back(c.name.substr(0, space));
    }
    auto match = closest_match(name, names);
    return match ? "; did you mean '" + *match + "'?" : "";
}

}  // namespace holdfast::cli
