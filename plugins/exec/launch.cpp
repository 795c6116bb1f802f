#include "launch.hpp"

#include <holdfast/plugin/common.hpp>

#include <system_error>

namespace holdfast::engines::exec {

using holdfast::plugin::error;

child_process launch(const command& cmd, const settings& config, purpose why) {
    const char* role = why == purpose::backup ? "backup command" : "restore command";
    if (!config.working_directory.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(config.working_directory, ec))
            throw error(HF_ERR_NOT_FOUND, std::string(role) + " '" + cmd.name() + "': working directory " +
                                              config.working_directory.string() + " does not exist");
    }
    const std::string program = cmd.kind == command::form::argv ? cmd.argv.front() : shell_path;
    auto executable = find_executable(program, config.search_path(), config.working_directory);
    if (!executable)
        throw error(HF_ERR_NOT_FOUND, std::string(role) + " '" + cmd.name() + "': program '" + program +
                                          "' not found on PATH or not executable");
    spawn_options options;
    options.executable = *executable;
    options.argv = cmd.exec_argv();
    options.extra_environment = config.environment;
    options.working_directory = config.working_directory;
    options.pipe_stdin = why == purpose::restore;
    options.stdout_into_stderr = why == purpose::restore;
    return child_process::spawn(options);
}

}  // namespace holdfast::engines::exec
