// When to stop a running command: the host's cancellation and the timeout.
#pragma once

#include <holdfast/plugin/common.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace holdfast::engines::exec {

// How long a command has to exit after SIGTERM before it gets SIGKILL.
inline constexpr std::chrono::milliseconds kill_grace{5000};

class watchdog {
public:
    enum class verdict { carry_on, cancelled, timed_out };

    watchdog(holdfast::plugin::host_services host, std::optional<std::chrono::milliseconds> timeout);

    verdict check() const;
    // How long one poll() may sleep: short enough to notice cancellation soon.
    int poll_timeout_ms() const;
    std::chrono::milliseconds elapsed() const;
    // "timed out after 1.5 s and was stopped" (the configured timeout)
    std::string timeout_message() const;

private:
    using clock = std::chrono::steady_clock;
    holdfast::plugin::host_services host_;
    clock::time_point start_ = clock::now();
    std::optional<std::chrono::milliseconds> timeout_;
    std::optional<clock::time_point> deadline_;
};

}  // namespace holdfast::engines::exec
