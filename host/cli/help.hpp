// The text of `holdfast --help`, `holdfast <group> --help` and
// `holdfast <command> --help`, and the global options they list.
#pragma once

#include "cli/command.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {

// The options every command accepts, bound to `global`.
po::options_description global_options_description(global_options& global);

void print_program_usage(std::ostream& out);
void print_program_help(std::ostream& out, const std::vector<command>& commands,
                        const po::options_description& global_desc);
void print_group_help(std::ostream& out, const std::vector<command>& commands, const std::string& group);
// `engine_sections`: the installed engines' options, for commands that take them.
void print_command_help(std::ostream& out, const command& cmd, const po::options_description& own,
                        const po::options_description& global_desc,
                        const std::vector<po::options_description>& engine_sections = {});

// "; did you mean 'X'?" when `name` is close to a command name, else "".
std::string suggestion(const std::vector<command>& commands, const std::string& name);

}  // namespace holdfast::cli
