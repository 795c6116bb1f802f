// Durations as retention policies spell them: "7d", "2w", "1m", "1y", "36h", or several
// at once ("1y6m"). Years and months are calendar units (a month back from 31 March is
// the last day of February), days and weeks are 24-hour days, all in UTC.
#pragma once

#include "repository/utc_time.hpp"

#include <string>
#include <string_view>

namespace holdfast::maintenance {

struct calendar_duration {
    int years = 0;
    int months = 0;
    int days = 0;  // weeks are counted as 7 days
    int hours = 0;

    bool is_zero() const noexcept { return years == 0 && months == 0 && days == 0 && hours == 0; }

    // Throws holdfast::usage_error naming `option` for anything but a positive duration made
    // of <number><unit> parts, units y, m, w, d, h (each at most once).
    static calendar_duration parse(std::string_view text, std::string_view option);

    // "1y6m7d36h": the canonical spelling, for messages.
    std::string to_string() const;

    friend bool operator==(const calendar_duration&, const calendar_duration&) = default;
};

// `time` moved back by `duration`: years and months on the calendar (clamped to the end
// of a shorter month), then days and hours.
repository::utc_time subtract(repository::utc_time time, const calendar_duration& duration);

}  // namespace holdfast::maintenance
