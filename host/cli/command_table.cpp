// The list of commands. To add one: write cli/commands/<name>.cpp with a
// factory returning its `command`, declare the factory in commands/commands.hpp,
// and add one line here.
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"

namespace holdfast::cli {

std::vector<command> command_table() {
    return {
        plugins_command(),
        init_command(),
        snapshots_command(),
        stats_command(),
        key_list_command(),
        key_add_command(),
        key_remove_command(),
        key_passwd_command(),
        unlock_command(),
        check_command(),
        forget_command(),
        prune_command(),
        config_check_command(),
        config_example_command(),
        backup_command(),
        restore_command(),
        dump_command(),
        verify_command(),
        clone_command(),
        sources_command(),
        detect_command(),
    };
}

}  // namespace holdfast::cli
