// The retention policy as a pure function: buckets, counts, within, combinations, reasons.
#include "maintenance/retention.hpp"

#include "core/error.hpp"
#include "repository/crypto.hpp"

#include <gtest/gtest.h>

#include <map>

namespace holdfast::maintenance {
namespace {

using repository::object_id;
using repository::parse_utc;
using repository::utc_time;

utc_time at(const char* text) {
    const auto t = parse_utc(text);
    EXPECT_TRUE(t) << text;
    return t.value_or(utc_time{});
}

object_id id_of(const std::string& name) {
    return object_id::of_content(std::as_bytes(std::span(name.data(), name.size())));
}

// Candidates named by their time string, so results read as times.
struct history {
    std::vector<retention_candidate> snapshots;
    std::map<object_id, std::string> names;

    void add(const char* time, const std::string& source = "app") {
        const std::string name = source + "@" + time;
        snapshots.push_back({id_of(name), at(time), source});
        names[id_of(name)] = time;
    }

    // Kept snapshot times (newest first, as decided) with their reasons.
    std::vector<std::pair<std::string, std::vector<std::string>>> kept(const retention_policy& policy,
                                                                       const std::string& source = "app") const {
        std::vector<std::pair<std::string, std::vector<std::string>>> out;
        for (const auto& d : apply_retention(snapshots, policy))
            if (d.keep && d.source == source) out.emplace_back(names.at(d.id), d.reasons);
        return out;
    }

    std::vector<std::string> kept_times(const retention_policy& policy, const std::string& source = "app") const {
        std::vector<std::string> out;
        for (const auto& [time, reasons] : kept(policy, source)) out.push_back(time);
        return out;
    }
};

using strings = std::vector<std::string>;

TEST(retention, KeepLastKeepsTheNewestN) {
    history h;
    h.add("2026-11-01T10:00:00Z");
    h.add("2026-11-03T10:00:00Z");
    h.add("2026-11-02T10:00:00Z");
    h.add("2026-11-04T10:00:00Z");
    EXPECT_EQ(h.kept_times({.last = 2}), (strings{"2026-11-04T10:00:00Z", "2026-11-03T10:00:00Z"}));
    EXPECT_EQ(h.kept_times({.last = 10}).size(), 4u);
    EXPECT_EQ(h.kept({.last = 1}).front().second, strings{"last"});
}

TEST(retention, EveryDecisionIsReturnedNewestFirst) {
    history h;
    h.add("2026-11-01T10:00:00Z");
    h.add("2026-11-03T10:00:00Z");
    h.add("2026-11-02T10:00:00Z");
    const auto decisions = apply_retention(h.snapshots, {.last = 1});
    ASSERT_EQ(decisions.size(), 3u);
    EXPECT_EQ(h.names.at(decisions[0].id), "2026-11-03T10:00:00Z");
    EXPECT_TRUE(decisions[0].keep);
    EXPECT_EQ(h.names.at(decisions[2].id), "2026-11-01T10:00:00Z");
    EXPECT_FALSE(decisions[1].keep);
    EXPECT_TRUE(decisions[1].reasons.empty());
}

TEST(retention, DailyKeepsTheNewestOfEachDayInUtc) {
    history h;
    h.add("2026-11-01T08:00:00Z");
    h.add("2026-11-01T23:59:59Z");  // newest of 1 Nov
    h.add("2026-11-02T00:00:00Z");  // a new UTC day
    h.add("2026-11-02T06:00:00Z");  // newest of 2 Nov
    h.add("2026-11-05T12:00:00Z");  // days without a snapshot are skipped, not counted
    EXPECT_EQ(h.kept_times({.daily = 3}),
              (strings{"2026-11-05T12:00:00Z", "2026-11-02T06:00:00Z", "2026-11-01T23:59:59Z"}));
    EXPECT_EQ(h.kept({.daily = 1}).front().second, strings{"daily 2026-11-05"});
}

TEST(retention, HourlyBuckets) {
    history h;
    h.add("2026-11-01T10:05:00Z");
    h.add("2026-11-01T10:55:00Z");
    h.add("2026-11-01T11:00:00Z");
    EXPECT_EQ(h.kept_times({.hourly = 5}), (strings{"2026-11-01T11:00:00Z", "2026-11-01T10:55:00Z"}));
    EXPECT_EQ(h.kept({.hourly = 1}).front().second, strings{"hourly 2026-11-01 11h"});
}

TEST(retention, WeeklyUsesIsoWeeksMondayToSunday) {
    history h;
    h.add("2026-11-15T20:00:00Z");  // Sunday: week 46
    h.add("2026-11-16T01:00:00Z");  // Monday: week 47
    h.add("2026-11-22T23:00:00Z");  // Sunday: week 47, newest of it
    h.add("2026-11-09T12:00:00Z");  // Monday: week 46, older than Sunday 15th
    EXPECT_EQ(h.kept({.weekly = 2}),
              (std::vector<std::pair<std::string, strings>>{{"2026-11-22T23:00:00Z", {"weekly 2026-W47"}},
                                                            {"2026-11-15T20:00:00Z", {"weekly 2026-W46"}}}));
}

TEST(retention, IsoWeeksCrossTheYearBoundary) {
    history h;
    // 1 January 2027 is a Friday: it belongs to 2026's week 53, with 31 December.
    h.add("2026-12-31T12:00:00Z");
    h.add("2027-01-01T12:00:00Z");
    h.add("2027-01-04T12:00:00Z");  // Monday: 2027-W01
    EXPECT_EQ(h.kept({.weekly = 5}),
              (std::vector<std::pair<std::string, strings>>{{"2027-01-04T12:00:00Z", {"weekly 2027-W01"}},
                                                            {"2027-01-01T12:00:00Z", {"weekly 2026-W53"}}}));
}

TEST(retention, MonthlyAndYearly) {
    history h;
    h.add("2024-06-15T00:00:00Z");
    h.add("2024-12-31T23:00:00Z");
    h.add("2025-03-01T00:00:00Z");
    h.add("2025-03-31T00:00:00Z");
    h.add("2025-11-30T00:00:00Z");
    h.add("2026-01-01T00:00:00Z");
    EXPECT_EQ(h.kept_times({.monthly = 3}),
              (strings{"2026-01-01T00:00:00Z", "2025-11-30T00:00:00Z", "2025-03-31T00:00:00Z"}));
    EXPECT_EQ(h.kept_times({.yearly = 10}),
              (strings{"2026-01-01T00:00:00Z", "2025-11-30T00:00:00Z", "2024-12-31T23:00:00Z"}));
    EXPECT_EQ(h.kept({.yearly = 1}).front().second, strings{"yearly 2026"});
    EXPECT_EQ(h.kept({.monthly = 1}).front().second, strings{"monthly 2026-01"});
}

TEST(retention, WithinCountsFromTheNewestSnapshotNotFromNow) {
    history h;
    h.add("2020-01-10T12:00:00Z");
    h.add("2020-01-04T12:00:01Z");
    h.add("2020-01-03T12:00:00Z");  // exactly 7 days before the newest: outside
    h.add("2019-12-01T00:00:00Z");
    const retention_policy week{.within = calendar_duration::parse("7d", "--keep-within")};
    EXPECT_EQ(h.kept_times(week), (strings{"2020-01-10T12:00:00Z", "2020-01-04T12:00:01Z"}));
    EXPECT_EQ(h.kept(week).front().second, strings{"within 7d"});
    const retention_policy hours{.within = calendar_duration::parse("36h", "--keep-within")};
    EXPECT_EQ(h.kept_times(hours), strings{"2020-01-10T12:00:00Z"});
    const retention_policy month{.within = calendar_duration::parse("1m", "--keep-within")};
    EXPECT_EQ(h.kept_times(month).size(), 3u);
}

TEST(retention, AnyRuleKeepsAndEveryReasonIsListed) {
    history h;
    h.add("2026-10-15T12:00:00Z");
    h.add("2026-11-01T12:00:00Z");
    h.add("2026-11-20T09:00:00Z");
    h.add("2026-11-21T09:00:00Z");
    h.add("2026-11-21T18:00:00Z");
    const retention_policy policy{.last = 2, .daily = 2, .monthly = 2};
    EXPECT_EQ(h.kept(policy),
              (std::vector<std::pair<std::string, strings>>{
                  {"2026-11-21T18:00:00Z", {"last", "daily 2026-11-21", "monthly 2026-11"}},
                  {"2026-11-21T09:00:00Z", {"last"}},
                  {"2026-11-20T09:00:00Z", {"daily 2026-11-20"}},
                  {"2026-10-15T12:00:00Z", {"monthly 2026-10"}}}));
}

TEST(retention, EachSourceGetsThePolicyOnItsOwn) {
    history h;
    h.add("2026-11-01T10:00:00Z", "app");
    h.add("2026-11-02T10:00:00Z", "app");
    h.add("2026-10-01T10:00:00Z", "billing");
    h.add("2026-10-02T10:00:00Z", "billing");
    EXPECT_EQ(h.kept_times({.last = 1}, "app"), strings{"2026-11-02T10:00:00Z"});
    EXPECT_EQ(h.kept_times({.last = 1}, "billing"), strings{"2026-10-02T10:00:00Z"});
    const auto decisions = apply_retention(h.snapshots, {.last = 1});
    ASSERT_EQ(decisions.size(), 4u);
    EXPECT_EQ(decisions.front().source, "app");  // groups in source order
    EXPECT_EQ(decisions.back().source, "billing");
}

TEST(retention, AnEmptyPolicyIsRecognised) {
    EXPECT_TRUE(retention_policy{}.empty());
    EXPECT_FALSE((retention_policy{.yearly = 1}).empty());
    EXPECT_EQ((retention_policy{.last = 3, .daily = 7}).describe(), "--keep-last 3 --keep-daily 7");
}

TEST(calendar_duration, ParsesUnitsAndCombinations) {
    EXPECT_EQ(calendar_duration::parse("7d", "x"), (calendar_duration{.days = 7}));
    EXPECT_EQ(calendar_duration::parse("2w", "x"), (calendar_duration{.days = 14}));
    EXPECT_EQ(calendar_duration::parse("1m", "x"), (calendar_duration{.months = 1}));
    EXPECT_EQ(calendar_duration::parse("1y", "x"), (calendar_duration{.years = 1}));
    EXPECT_EQ(calendar_duration::parse("36h", "x"), (calendar_duration{.hours = 36}));
    EXPECT_EQ(calendar_duration::parse("1y6m2w1d12h", "x"),
              (calendar_duration{.years = 1, .months = 6, .days = 15, .hours = 12}));
    EXPECT_EQ(calendar_duration::parse("1Y6M", "x").to_string(), "1y6m");
}

TEST(calendar_duration, RefusesWhatIsNotADuration) {
    for (const char* bad : {"", "7", "d", "7x", "-7d", "0d", "1d1d", "7d ", "99999999999d"}) {
        try {
            calendar_duration::parse(bad, "--keep-within");
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const usage_error& e) {
            EXPECT_NE(std::string(e.what()).find("--keep-within"), std::string::npos) << e.what();
        }
    }
}

TEST(calendar_duration, MonthsAndYearsFollowTheCalendar) {
    EXPECT_EQ(subtract(at("2026-03-31T10:00:00Z"), {.months = 1}), at("2026-02-28T10:00:00Z"));
    EXPECT_EQ(subtract(at("2024-02-29T00:00:00Z"), {.years = 1}), at("2023-02-28T00:00:00Z"));
    EXPECT_EQ(subtract(at("2026-01-15T00:00:00Z"), {.months = 2}), at("2025-11-15T00:00:00Z"));
    EXPECT_EQ(subtract(at("2026-01-02T06:00:00Z"), {.days = 1, .hours = 12}), at("2025-12-31T18:00:00Z"));
}

}  // namespace
}  // namespace holdfast::maintenance
