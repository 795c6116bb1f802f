// The list of commands. To add one: write cli/commands/<name>.cpp with a
// factory returning its `command`, declare the factory in commands/commands.hpp,
// and add one line here.
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"

namespace holdfast::cli {

std::vector<command> command_table() {
    return {
        plugins_command(),
        config_check_command(),
        config_example_command(),
    };
}

}  // namespace holdfast::cli
