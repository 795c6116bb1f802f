#include "maintenance/forget.hpp"

#include "core/cancellation.hpp"
#include "core/error.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/proofs.hpp"
#include "repository/snapshots.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <span>
#include <unordered_set>

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

using proof_names = std::vector<repository::names::proof_name>;

// The listed proofs of one snapshot (`all` sorted by snapshot).
std::span<const repository::names::proof_name> proofs_of(const proof_names& all, const object_id& snapshot) {
    const auto first =
        std::partition_point(all.begin(), all.end(), [&](const auto& p) { return p.snapshot < snapshot; });
    const auto last = std::partition_point(first, all.end(), [&](const auto& p) { return p.snapshot == snapshot; });
    return {first, last};
}

// Proofs whose snapshot is gone for another reason: a restore test that recorded its proof
// while an earlier forget was removing the snapshot. Each such snapshot is looked up with
// stat before its proofs go, since a listing may lag behind a snapshot written just now.
std::size_t remove_orphan_proofs(repository::repo& repository, const proof_names& listed,
                                 const std::unordered_set<object_id, repository::object_id_hash>& forgotten) {
    const auto ids = repository::list_snapshot_ids(repository);
    const std::unordered_set<object_id, repository::object_id_hash> existing(ids.begin(), ids.end());
    std::size_t count = 0;
    for (auto it = listed.begin(); it != listed.end();) {
        const object_id snapshot = it->snapshot;
        const auto proofs = proofs_of(listed, snapshot);
        it += static_cast<std::ptrdiff_t>(proofs.size());
        if (forgotten.contains(snapshot) || existing.contains(snapshot)) continue;
        if (repository.storage().stat(repository::names::snapshot(snapshot))) continue;
        count += repository::remove_proofs(repository, proofs);
    }
    return count;
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
    // One listing of proofs/ for the whole run, not one per snapshot.
    proof_names proofs = repository::list_all_proof_names(repository);
    std::sort(proofs.begin(), proofs.end(), [](const auto& a, const auto& b) { return a.snapshot < b.snapshot; });
    std::unordered_set<object_id, repository::object_id_hash> forgotten;
    std::size_t count = 0;
    std::size_t proofs_removed = 0;
    for (const object_id& id : plan.to_remove()) {
        // Stopping between deletes is safe: each one is complete on its own.
        if (cancellation_requested()) throw error("forget interrupted", exit_code::interrupted);
        // Proofs first: a crash in between leaves a snapshot that the next forget removes,
        // never proofs of a snapshot that is gone.
        proofs_removed += repository::remove_proofs(repository, proofs_of(proofs, id));
        repository.storage().remove(repository::names::snapshot(id));
        forgotten.insert(id);
        ++count;
        if (removed) removed(id);
    }
    proofs_removed += remove_orphan_proofs(repository, proofs, forgotten);
    if (proofs_removed > 0) spdlog::debug("forget: removed {} restore-test proofs", proofs_removed);
    return count;
}

}  // namespace holdfast::maintenance
