// Where plugins' progress reports go. For now a debug log line; the progress
// display (rate, ETA) replaces this file's implementation later.
#pragma once

#include <cstdint>
#include <string_view>

namespace holdfast::plugins {

// `total` == 0: unknown. Must not throw: it is called from plugin code.
void report_progress(std::string_view plugin_name, std::string_view phase, std::uint64_t done,
                     std::uint64_t total) noexcept;

}  // namespace holdfast::plugins
