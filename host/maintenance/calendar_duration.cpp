#include "maintenance/calendar_duration.hpp"

#include "core/error.hpp"

#include <cctype>
#include <charconv>
#include <chrono>

namespace holdfast::maintenance {

namespace {

// Far more than any retention needs, and small enough that no arithmetic below overflows.
constexpr int max_amount = 100000;

}  // namespace

calendar_duration calendar_duration::parse(std::string_view text, std::string_view option) {
    const auto bad = [&](const std::string& why) {
        return usage_error(std::string(option) + " '" + std::string(text) + "': " + why +
                           "; write a number and a unit (y years, m months, w weeks, d days, "
                           "h hours), e.g. 7d, 2w, 1y6m, 36h");
    };
    if (text.empty()) throw bad("empty duration");
    calendar_duration out;
    std::string seen;
    std::string_view rest = text;
    while (!rest.empty()) {
        if (!std::isdigit(static_cast<unsigned char>(rest.front())))
            throw bad("expected a number at '" + std::string(rest) + "'");
        int amount = 0;
        const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), amount);
        if (ec != std::errc() || amount > max_amount) throw bad("number too large");
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        if (rest.empty()) throw bad("missing unit after " + std::to_string(amount));
        const char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(rest.front())));
        rest.remove_prefix(1);
        if (seen.find(unit) != std::string::npos) throw bad(std::string("unit '") + unit + "' given twice");
        seen += unit;
        switch (unit) {
            case 'y': out.years = amount; break;
            case 'm': out.months = amount; break;
            case 'w': out.days += 7 * amount; break;
            case 'd': out.days += amount; break;
            case 'h': out.hours = amount; break;
            default: throw bad(std::string("unknown unit '") + unit + "'");
        }
    }
    if (out.is_zero()) throw bad("the duration must be positive");
    return out;
}

std::string calendar_duration::to_string() const {
    std::string out;
    if (years) out += std::to_string(years) + "y";
    if (months) out += std::to_string(months) + "m";
    if (days) out += std::to_string(days) + "d";
    if (hours) out += std::to_string(hours) + "h";
    return out.empty() ? "0h" : out;
}

repository::utc_time subtract(repository::utc_time time, const calendar_duration& duration) {
    using namespace std::chrono;
    const sys_days day = floor<std::chrono::days>(time);
    const auto time_of_day = time - day;
    year_month_day date(day);
    date -= std::chrono::years(duration.years);
    date -= std::chrono::months(duration.months);
    if (!date.ok()) date = date.year() / date.month() / last;  // 31 March - 1 month
    return repository::utc_time(sys_days(date)) + time_of_day - std::chrono::days(duration.days) -
           std::chrono::hours(duration.hours);
}

}  // namespace holdfast::maintenance
