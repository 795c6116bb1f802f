#include "failure.hpp"

#include <string>

namespace holdfast::engines::exec {

void fail_command(hf_status code, std::string_view role, const command& cmd, std::string_view what,
                  const output_tail& tail, const holdfast::plugin::host_services& host) {
    const std::string head = std::string(role) + " '" + cmd.name() + "' " + std::string(what);
    for (const auto& line : tail.lines()) host.warn(cmd.name() + ": " + line);
    // hf_error keeps 1023 bytes and cuts the end; fit the newest lines instead.
    constexpr std::size_t message_budget = 1000;
    const std::size_t room = head.size() + 2 < message_budget ? message_budget - head.size() - 2 : 0;
    std::string last = tail.summary(room);
    throw holdfast::plugin::error(code, last.empty() ? head + " (no output on stderr)" : head + ": " + last);
}

}  // namespace holdfast::engines::exec
