// What backup and restore share while their command runs: stopping it on the
// host's cancellation or the timeout, collecting the tail of its stderr, waiting
// for its exit, and turning a failure into one error line.
#pragma once

#include "child_process.hpp"
#include "command.hpp"
#include "output_tail.hpp"
#include "settings.hpp"
#include "watchdog.hpp"

#include <holdfast/plugin/common.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace holdfast::engines::exec {

class supervision {
public:
    // `role` ("backup command") names the command in messages; it must outlive this object.
    supervision(const char* role, const command& cmd, const settings& config,
                const holdfast::plugin::host_services& host);

    // Stops the child and throws if the host cancelled (HF_ERR_CANCELLED) or the time is up.
    void watch(child_process& child);
    // Reads what the child's stderr pipe holds into the tail; closes it at EOF.
    // `what` says what the pipe carries, for an I/O error ("reading the command's stderr").
    void collect_stderr(child_process& child, const char* what);
    // Polls for the exit, watching meanwhile.
    exit_status wait_for_exit(child_process& child);
    // Throws HF_ERR_FAILED: "<role> '<name>' <what>: <last stderr lines>".
    [[noreturn]] void fail(std::string_view what) const;

    const watchdog& dog() const noexcept { return dog_; }

private:
    const char* role_;
    const command& cmd_;
    holdfast::plugin::host_services host_;
    watchdog dog_;
    output_tail tail_;
    std::vector<std::byte> buffer_;
};

}  // namespace holdfast::engines::exec
