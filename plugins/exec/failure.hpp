// Turning a command's failure into one error line (and warnings in the log):
// which command, what happened, and the last lines it wrote to stderr.
#pragma once

#include "command.hpp"
#include "output_tail.hpp"

#include <holdfast/plugin/common.hpp>

#include <string_view>

namespace holdfast::engines::exec {

// Logs the tail line by line at WARN, then throws plugin::error(code) with
// "<role> '<name>' <what>: <last stderr lines>" fitted into hf_error's message.
[[noreturn]] void fail_command(hf_status code, std::string_view role, const command& cmd, std::string_view what,
                               const output_tail& tail, const holdfast::plugin::host_services& host);

}  // namespace holdfast::engines::exec
