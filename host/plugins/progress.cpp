#include "plugins/progress.hpp"

#include "progress/plugin_route.hpp"

#include <spdlog/spdlog.h>

namespace holdfast::plugins {

void report_progress(std::string_view plugin_name, std::string_view phase, std::uint64_t done,
                     std::uint64_t total) noexcept {
    try {
        // The running command's progress display, when it has one (progress/reporter.hpp).
        if (progress::deliver_plugin_progress(plugin_name, phase, done, total)) return;
        if (total == 0) spdlog::debug("{}: {}: {} done", plugin_name, phase, done);
        else spdlog::debug("{}: {}: {}/{}", plugin_name, phase, done, total);
    } catch (...) {
        // Progress is advisory: losing a report must never fail the plugin.
    }
}

}  // namespace holdfast::plugins
