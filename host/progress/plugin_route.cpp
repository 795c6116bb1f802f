#include "progress/plugin_route.hpp"

#include "progress/reporter.hpp"

#include <mutex>

namespace holdfast::progress {

namespace {

// The mutex is held while delivering, so detach() cannot return while a plugin thread is
// still inside the reporter it is about to destroy. Reports are rare (per engine step).
std::mutex route_mutex;
reporter* route_target = nullptr;

}  // namespace

void attach_plugin_progress(reporter& target) noexcept {
    std::lock_guard lock(route_mutex);
    route_target = &target;
}

void detach_plugin_progress(reporter& target) noexcept {
    std::lock_guard lock(route_mutex);
    if (route_target == &target) route_target = nullptr;
}

bool deliver_plugin_progress(std::string_view plugin, std::string_view phase, std::uint64_t done,
                             std::uint64_t total) noexcept {
    std::lock_guard lock(route_mutex);
    if (route_target == nullptr) return false;
    route_target->plugin_progress(plugin, phase, done, total);
    return true;
}

}  // namespace holdfast::progress
