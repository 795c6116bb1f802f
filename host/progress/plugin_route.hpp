// Plugins report progress through hf_host_services.progress, which has no notion of the
// command running: the active reporter is registered here, process-wide, and
// plugins/progress.cpp forwards every report to it.
#pragma once

#include <cstdint>
#include <string_view>

namespace holdfast::progress {

class reporter;

// While attached, plugin reports go to `target` (the last one attached wins).
void attach_plugin_progress(reporter& target) noexcept;
// Stops routing to `target`; returns once no report is being delivered to it.
void detach_plugin_progress(reporter& target) noexcept;

// Delivers one report to the attached reporter. Returns false when none is attached.
bool deliver_plugin_progress(std::string_view plugin, std::string_view phase, std::uint64_t done,
                             std::uint64_t total) noexcept;

}  // namespace holdfast::progress
