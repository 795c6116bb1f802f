#include "watchdog.hpp"

#include <algorithm>
#include <cstdio>

namespace holdfast::engines::exec {

namespace {
constexpr std::chrono::milliseconds poll_interval{100};
}

watchdog::watchdog(holdfast::plugin::host_services host, std::optional<std::chrono::milliseconds> timeout)
    : host_(host), timeout_(timeout) {
    if (timeout) deadline_ = start_ + *timeout;
}

watchdog::verdict watchdog::check() const {
    if (host_.cancelled()) return verdict::cancelled;
    if (deadline_ && clock::now() >= *deadline_) return verdict::timed_out;
    return verdict::carry_on;
}

int watchdog::poll_timeout_ms() const {
    auto wait = poll_interval;
    if (deadline_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - clock::now());
        wait = std::clamp(left + std::chrono::milliseconds(1), std::chrono::milliseconds(0), poll_interval);
    }
    return static_cast<int>(wait.count());
}

std::chrono::milliseconds watchdog::elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start_);
}

}  // namespace holdfast::engines::exec

namespace holdfast::engines::exec {

std::string watchdog::timeout_message() const {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f", static_cast<double>(timeout_.value_or(elapsed()).count()) / 1000.0);
    return std::string("timed out after ") + seconds + " s and was stopped";
}

}  // namespace holdfast::engines::exec
