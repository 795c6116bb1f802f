// How progress and results are written for people: sizes in binary units, rates and
// durations, all short enough to fit one terminal line.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace holdfast::progress {

// "0 B", "512 B", "1.5 KiB", "23.4 MiB", "1.21 GiB": three significant digits.
std::string format_bytes(std::uint64_t bytes);
// "350 MiB/s"
std::string format_rate(double bytes_per_second);
// "12s", "3m05s", "1h02m", "3d04h"
std::string format_duration(std::chrono::seconds duration);

// What the display shows at one moment.
struct progress_state {
    std::string phase;
    std::uint64_t done = 0;
    std::uint64_t total = 0;  // 0: unknown
    std::chrono::milliseconds elapsed{0};
    double rate = 0;  // bytes per second, smoothed
    std::optional<std::chrono::seconds> eta;
    // The latest report of a plugin (sqlite's "snapshot" step, ...), if any.
    std::string plugin;
    std::string plugin_phase;
    std::uint64_t plugin_done = 0;
    std::uint64_t plugin_total = 0;
};

// "backup: 1.21 GiB / 2.00 GiB (60%), 350 MiB/s, ETA 3s | sqlite snapshot 45%", cut to
// `width` columns so that redrawing with \r never wraps.
std::string render_line(const progress_state& state, std::size_t width);

}  // namespace holdfast::progress
