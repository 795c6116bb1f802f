// Timestamps as the repository writes them: RFC 3339 in UTC, "2026-11-21T12:00:00.123456Z".
// Microseconds, so snapshots taken in the same second still sort by time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace holdfast::repository {

using utc_clock = std::chrono::system_clock;
using utc_time = std::chrono::time_point<utc_clock, std::chrono::microseconds>;

inline utc_time utc_now() { return std::chrono::time_point_cast<std::chrono::microseconds>(utc_clock::now()); }

std::string format_utc(utc_time time);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction]Z"; nullopt for anything else.
std::optional<utc_time> parse_utc(std::string_view text);

// "12s", "3m", "2h", "4d": how old something is, for messages.
std::string describe_age(std::chrono::microseconds age);

}  // namespace holdfast::repository
