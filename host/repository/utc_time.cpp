#include "repository/utc_time.hpp"

#include <charconv>
#include <cstdio>

namespace holdfast::repository {

namespace {

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms): exact for
// any year, without the time zone state of timegm/gmtime.
std::chrono::sys_days to_days(int year, unsigned month, unsigned day) {
    return std::chrono::sys_days(std::chrono::year(year) / std::chrono::month(month) /
                                 std::chrono::day(day));
}

}  // namespace

std::string format_utc(utc_time time) {
    using namespace std::chrono;
    const auto days = floor<std::chrono::days>(time);
    const year_month_day date(days);
    const hh_mm_ss clock(time - days);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()),
                  static_cast<long long>(clock.subseconds().count()));
    return text;
}

std::optional<utc_time> parse_utc(std::string_view text) {
    // Fixed positions: YYYY-MM-DDTHH:MM:SS
    if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
    const auto number = [&](std::size_t at, std::size_t length, int& out) {
        const char* first = text.data() + at;
        const auto [end, ec] = std::from_chars(first, first + length, out);
        return ec == std::errc() && end == first + length;
    };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!number(0, 4, year) || text[4] != '-' || !number(5, 2, month) || text[7] != '-' ||
        !number(8, 2, day) || (text[10] != 'T' && text[10] != 't') || !number(11, 2, hour) ||
        text[13] != ':' || !number(14, 2, minute) || text[16] != ':' || !number(17, 2, second))
        return std::nullopt;
    long long micros = 0;
    std::string_view rest = text.substr(19, text.size() - 20);
    if (!rest.empty()) {
        if (rest.front() != '.' || rest.size() < 2) return std::nullopt;
        rest.remove_prefix(1);
        long long scale = 100000;
        for (const char c : rest) {
            if (c < '0' || c > '9') return std::nullopt;
            micros += (c - '0') * scale;  // digits past microseconds add nothing
            scale /= 10;
        }
    }
    const auto date = std::chrono::year(year) / std::chrono::month(static_cast<unsigned>(month)) /
                      std::chrono::day(static_cast<unsigned>(day));
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    using namespace std::chrono;
    return utc_time(to_days(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) +
                    hours(hour) + minutes(minute) + seconds(second) + microseconds(micros));
}

std::string describe_age(std::chrono::microseconds age) {
    const long long s = std::chrono::duration_cast<std::chrono::seconds>(age).count();
    if (s < 120) return std::to_string(s) + "s";
    if (s < 2 * 3600) return std::to_string(s / 60) + "m";
    if (s < 2 * 86400) return std::to_string(s / 3600) + "h";
    return std::to_string(s / 86400) + "d";
}

}  // namespace holdfast::repository
