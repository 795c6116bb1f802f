// `holdfast forget`: applies a retention policy to the snapshots and deletes the snapshot
// documents it does not keep, with their restore-test proofs. Only snapshots/ and proofs/
// objects are deleted; the data they alone referenced stays until `prune`.
//
// Forget runs under a shared lock: deleting a snapshot document is one atomic delete that
// no other writer depends on. A backup running meanwhile only adds snapshots; a restore
// or check that already read a document keeps working, because the blobs stay until
// prune, which needs an exclusive lock and so waits for them.
#pragma once

#include "maintenance/retention.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"

#include <functional>
#include <string>
#include <vector>

namespace holdfast::maintenance {

// Which snapshots the policy applies to; the others are left alone.
struct forget_filter {
    std::string source{};             // empty: every source
    // Empty: any; else a snapshot carrying every one of them (as `holdfast snapshots --tag`).
    std::vector<std::string> tags{};
};

struct forget_plan {
    // One per matching snapshot, as apply_retention orders them.
    std::vector<retention_decision> decisions;
    // Snapshots that could not be read: never deleted, and not counted by the policy.
    std::vector<std::string> unreadable;

    std::vector<repository::object_id> to_remove() const;
};

// Throws holdfast::usage_error for an empty policy: it would remove every snapshot.
void require_policy(const retention_policy& policy);

// Reads every snapshot document (one at a time) and applies the policy; require_policy
// first.
forget_plan plan_forget(const repository::repo& repository, const retention_policy& policy,
                        const forget_filter& filter);

// Deletes the snapshot documents the plan does not keep, each after its proofs; `removed` is
// called after each. Then deletes proofs whose snapshot no longer exists (a restore test
// that finished while an earlier forget removed its snapshot). Returns how many snapshots
// were deleted.
std::size_t execute_forget(repository::repo& repository, const forget_plan& plan,
                           const std::function<void(const repository::object_id&)>& removed = {});

}  // namespace holdfast::maintenance
