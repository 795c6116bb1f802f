#include "progress/format.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace holdfast::progress {

namespace {

std::string with_unit(double value, int decimals, const char* unit) {
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.*f %s", decimals, value, unit);
    return buffer.data();
}

std::string percent(std::uint64_t done, std::uint64_t total) {
    const double ratio = static_cast<double>(done) / static_cast<double>(total);
    return std::to_string(static_cast<int>(std::floor(std::min(ratio, 1.0) * 100.0))) + "%";
}

}  // namespace

std::string format_bytes(std::uint64_t bytes) {
    static constexpr std::array<const char*, 6> units{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double value = static_cast<double>(bytes) / 1024.0;
    std::size_t unit = 0;
    // 1023.6 would print as "1024": such values move up a unit too.
    while (value >= 1023.5 && unit + 1 < units.size()) {
        value /= 1024.0;
        ++unit;
    }
    // Three significant digits; 999.5 and up would print as "1000", so round first.
    if (value < 9.995) return with_unit(value, 2, units[unit]);
    if (value < 99.95) return with_unit(value, 1, units[unit]);
    return with_unit(value, 0, units[unit]);
}

std::string format_rate(double bytes_per_second) {
    if (!(bytes_per_second > 0) || !std::isfinite(bytes_per_second)) return "0 B/s";
    return format_bytes(static_cast<std::uint64_t>(bytes_per_second)) + "/s";
}

std::string format_duration(std::chrono::seconds duration) {
    const auto total = std::max<std::int64_t>(duration.count(), 0);
    auto two = [](std::int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    if (total < 60) return std::to_string(total) + "s";
    if (total < 3600) return std::to_string(total / 60) + "m" + two(total % 60) + "s";
    if (total < 86400) return std::to_string(total / 3600) + "h" + two(total / 60 % 60) + "m";
    return std::to_string(total / 86400) + "d" + two(total / 3600 % 24) + "h";
}

std::string render_line(const progress_state& state, std::size_t width) {
    const auto elapsed = format_duration(std::chrono::duration_cast<std::chrono::seconds>(state.elapsed));
    std::string line = state.phase + ": ";
    if (state.done == 0 && state.total == 0) {
        line += elapsed;  // a phase that moves no bytes of its own (flush)
    } else {
        line += format_bytes(state.done);
        if (state.total > 0) line += " / " + format_bytes(state.total) + " (" + percent(state.done, state.total) + ")";
        line += ", " + format_rate(state.rate) + ", " + (state.eta ? "ETA " + format_duration(*state.eta) : elapsed);
    }
    if (!state.plugin.empty()) {
        line += " | " + state.plugin + " " + state.plugin_phase;
        // Without a total the unit of `done` is the plugin's own: not worth showing.
        if (state.plugin_total > 0) line += " " + percent(state.plugin_done, state.plugin_total);
    }
    // Leave the last column free: some terminals wrap when it is written.
    if (width > 1 && line.size() >= width) line.resize(width - 1);
    return line;
}

}  // namespace holdfast::progress
