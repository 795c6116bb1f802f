// Which snapshots a retention policy keeps: a pure function, so it is tested without a
// repository. Semantics as restic's `forget`:
//
// - Snapshots are grouped by source; each group gets the whole policy.
// - Within a group, newest first, each rule walks the snapshots and keeps the newest one of
//   every period ("bucket") it has not seen yet, until it has kept N: --keep-daily 7 keeps
//   the newest snapshot of each of the 7 most recent days that have a snapshot.
//   keep-last gives every snapshot its own bucket.
// - keep-within keeps every snapshot newer than the group's newest snapshot minus the
//   duration (measured from the newest snapshot, not from now, so a source whose backups
//   stopped does not lose its last ones).
// - A snapshot is kept if any rule keeps it; the reasons say which.
//
// Periods are UTC: a day starts at 00:00Z, weeks are ISO weeks (Monday to Sunday, the
// year of their Thursday).
#pragma once

#include "maintenance/calendar_duration.hpp"
#include "repository/object_id.hpp"
#include "repository/utc_time.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace holdfast::maintenance {

struct retention_policy {
    // 0: the rule is not used.
    unsigned last = 0;
    unsigned hourly = 0;
    unsigned daily = 0;
    unsigned weekly = 0;
    unsigned monthly = 0;
    unsigned yearly = 0;
    std::optional<calendar_duration> within{};

    // True when no rule is given: such a policy would remove everything, so callers refuse it.
    bool empty() const noexcept {
        return last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 &&
               yearly == 0 && !within;
    }
    // "--keep-last 3 --keep-daily 7", for messages.
    std::string describe() const;
};

struct retention_candidate {
    repository::object_id id;
    repository::utc_time time{};
    std::string source;
};

struct retention_decision {
    repository::object_id id;
    repository::utc_time time{};
    std::string source;
    bool keep = false;
    // Why it is kept, one entry per rule: "last", "daily 2026-11-21", "within 7d".
    std::vector<std::string> reasons;
};

// One decision per candidate: grouped by source (sources in name order), newest first
// within a group (equal times by id, descending). An empty policy keeps nothing; callers
// refuse it before getting here.
std::vector<retention_decision> apply_retention(std::span<const retention_candidate> snapshots,
                                                const retention_policy& policy);

}  // namespace holdfast::maintenance
