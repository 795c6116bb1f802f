#include "maintenance/retention.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>

namespace holdfast::maintenance {

using repository::utc_time;

namespace {

// A period a snapshot falls in: equal keys mean the same period.
struct bucket {
    std::int64_t key;
    std::string label;
};

struct civil {
    std::chrono::sys_days day;
    std::chrono::year_month_day date;
    long hour;
};

civil civil_of(utc_time time) {
    using namespace std::chrono;
    const sys_days day = floor<days>(time);
    return {day, year_month_day(day), static_cast<long>(floor<hours>(time - day).count())};
}

std::string two(unsigned value) {
    char text[8];
    std::snprintf(text, sizeof text, "%02u", value % 100);
    return text;
}

std::string date_label(const std::chrono::year_month_day& date) {
    return std::to_string(int(date.year())) + "-" + two(unsigned(date.month())) + "-" +
           two(unsigned(date.day()));
}

bucket hourly_bucket(utc_time time) {
    const civil c = civil_of(time);
    return {c.day.time_since_epoch().count() * 24 + c.hour,
            date_label(c.date) + " " + two(static_cast<unsigned>(c.hour)) + "h"};
}

bucket daily_bucket(utc_time time) {
    const civil c = civil_of(time);
    return {c.day.time_since_epoch().count(), date_label(c.date)};
}

// ISO 8601 week: Monday to Sunday, numbered within the year that holds its Thursday.
bucket weekly_bucket(utc_time time) {
    using namespace std::chrono;
    const civil c = civil_of(time);
    const unsigned weekday_iso = weekday(c.day).iso_encoding();  // 1 Monday .. 7 Sunday
    const sys_days thursday = c.day + days(4) - days(weekday_iso);
    const year iso_year = year_month_day(thursday).year();
    const auto week = (thursday - sys_days(iso_year / January / 1)).count() / 7 + 1;
    return {static_cast<std::int64_t>(int(iso_year)) * 100 + week,
            std::to_string(int(iso_year)) + "-W" + two(static_cast<unsigned>(week))};
}

bucket monthly_bucket(utc_time time) {
    const civil c = civil_of(time);
    return {static_cast<std::int64_t>(int(c.date.year())) * 12 + unsigned(c.date.month()),
            std::to_string(int(c.date.year())) + "-" + two(unsigned(c.date.month()))};
}

bucket yearly_bucket(utc_time time) {
    const civil c = civil_of(time);
    return {int(c.date.year()), std::to_string(int(c.date.year()))};
}

struct bucket_rule {
    const char* name;
    unsigned count;
    std::function<bucket(utc_time)> bucket_of;  // null: every snapshot is its own bucket
};

// Applies the policy to one source's decisions, sorted newest first.
void apply_to_group(std::span<retention_decision> group, const retention_policy& policy) {
    const bucket_rule rules[] = {
        {"last", policy.last, nullptr},
        {"hourly", policy.hourly, hourly_bucket},
        {"daily", policy.daily, daily_bucket},
        {"weekly", policy.weekly, weekly_bucket},
        {"monthly", policy.monthly, monthly_bucket},
        {"yearly", policy.yearly, yearly_bucket},
    };
    for (const bucket_rule& rule : rules) {
        unsigned left = rule.count;
        std::optional<std::int64_t> previous;
        for (retention_decision& d : group) {
            if (left == 0) break;
            if (!rule.bucket_of) {
                d.reasons.emplace_back(rule.name);
                --left;
                continue;
            }
            const bucket b = rule.bucket_of(d.time);
            if (previous == b.key) continue;  // the newer snapshot of this period was kept
            previous = b.key;
            d.reasons.push_back(std::string(rule.name) + " " + b.label);
            --left;
        }
    }
    if (policy.within && !group.empty()) {
        const utc_time cutoff = subtract(group.front().time, *policy.within);
        for (retention_decision& d : group)
            if (d.time > cutoff) d.reasons.push_back("within " + policy.within->to_string());
    }
    for (retention_decision& d : group) d.keep = !d.reasons.empty();
}

}  // namespace

std::string retention_policy::describe() const {
    std::string out;
    const auto add = [&](const char* option, unsigned n) {
        if (n == 0) return;
        if (!out.empty()) out += ' ';
        out += std::string(option) + " " + std::to_string(n);
    };
    add("--keep-last", last);
    add("--keep-hourly", hourly);
    add("--keep-daily", daily);
    add("--keep-weekly", weekly);
    add("--keep-monthly", monthly);
    add("--keep-yearly", yearly);
    if (within) out += std::string(out.empty() ? "" : " ") + "--keep-within " + within->to_string();
    return out;
}

std::vector<retention_decision> apply_retention(std::span<const retention_candidate> snapshots,
                                                const retention_policy& policy) {
    std::vector<retention_decision> out;
    out.reserve(snapshots.size());
    for (const retention_candidate& s : snapshots) out.push_back({s.id, s.time, s.source, false, {}});
    std::sort(out.begin(), out.end(), [](const retention_decision& a, const retention_decision& b) {
        if (a.source != b.source) return a.source < b.source;
        if (a.time != b.time) return a.time > b.time;
        return a.id > b.id;
    });
    for (auto first = out.begin(); first != out.end();) {
        const auto end = std::find_if(first, out.end(), [&](const retention_decision& d) {
            return d.source != first->source;
        });
        apply_to_group(std::span(first, end), policy);
        first = end;
    }
    return out;
}

}  // namespace holdfast::maintenance
