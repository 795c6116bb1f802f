#include "maintenance/forget.hpp"

#include "core/cancellation.hpp"
#include "core/error.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/snapshots.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace holdfast::maintenance {

using repository::object_id;

std::vector<object_id> forget_plan::to_remove() const {
    std::vector<object_id> ids;
    for (const retention_decision& d : decisions)
        if (!d.keep) ids.push_back(d.id);
    return ids;
}

namespace {

bool matches(const repository::snapshot& snap, const forget_filter& filter) {
    if (!filter.source.empty() && snap.source != filter.source) return false;
    return std::all_of(filter.tags.begin(), filter.tags.end(), [&](const std::string& tag) {
        return std::find(snap.tags.begin(), snap.tags.end(), tag) != snap.tags.end();
    });
}

}  // namespace

void require_policy(const retention_policy& policy) {
    if (policy.empty())
        throw usage_error(
            "forget needs a policy (--keep-last, --keep-hourly, --keep-daily, --keep-weekly, "
            "--keep-monthly, --keep-yearly or --keep-within); without one it would remove every "
            "snapshot");
}

forget_plan plan_forget(const repository::repo& repository, const retention_policy& policy,
                        const forget_filter& filter) {
    require_policy(policy);
    forget_plan plan;
    std::vector<retention_candidate> candidates;
    // One document at a time: only what the policy needs stays in memory.
    for (const object_id& id : repository::list_snapshot_ids(repository)) {
        try {
            const repository::snapshot snap = repository::load_snapshot(repository, id);
            if (matches(snap, filter)) candidates.push_back({id, snap.time, snap.source});
        } catch (const repository::repository_error& e) {
            // A snapshot we cannot read is never deleted by a policy that cannot see it.
            spdlog::warn("leaving {} alone: {}", repository::names::snapshot(id), e.what());
            plan.unreadable.push_back(repository::names::snapshot(id));
        }
    }
    plan.decisions = apply_retention(candidates, policy);
    return plan;
}

std::size_t execute_forget(repository::repo& repository, const forget_plan& plan,
                           const std::function<void(const object_id&)>& removed) {
    std::size_t count = 0;
    for (const object_id& id : plan.to_remove()) {
        // Stopping between deletes is safe: each one is complete on its own.
        if (cancellation_requested()) throw error("forget interrupted", exit_code::interrupted);
        repository.storage().remove(repository::names::snapshot(id));
        ++count;
        if (removed) removed(id);
    }
    return count;
}

}  // namespace holdfast::maintenance
