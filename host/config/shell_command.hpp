// Running a *_command secret: `/bin/sh -c command`, capturing its standard
// output. Standard input is /dev/null (the output must not depend on what
// holdfast itself reads); standard error stays the user's, so the command's own
// complaints are seen. Nothing about the output goes into messages.
#pragma once

#include <string>
#include <variant>

namespace holdfast::config {

struct command_failure {
    std::string reason;  // "exited with status 1", "was killed by signal 9", ...
};

// The command's standard output when it exits with status 0.
std::variant<std::string, command_failure> run_shell_command(const std::string& command);

}  // namespace holdfast::config
