// Snapshot objects (snapshots/<id>): sealed JSON, named by the SHA-256 of the stored bytes.
#pragma once

#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <string_view>
#include <vector>

namespace holdfast::repository {

inline constexpr id_kind snapshot_ids{"snapshot", "holdfast snapshots"};

// Seals and stores the snapshot; returns its id. Save only after the blob_store that stored
// its blobs was flushed (packs -> index -> snapshot).
object_id save_snapshot(repo& repository, const snapshot& snap);

// Throws corruption_error naming snapshots/<id> if it is damaged or truncated.
snapshot load_snapshot(const repo& repository, const object_id& id);

std::vector<object_id> list_snapshot_ids(const repo& repository);

struct listed_snapshot {
    object_id id;
    snapshot doc;
};

// Every snapshot, oldest first (ties by id). A damaged snapshot fails the listing.
std::vector<listed_snapshot> list_snapshots(const repo& repository);

// "latest" (the newest snapshot, of `source` when it is not empty), or a full id or unique
// prefix of at least 4 hex digits. Throws usage_error for an unknown, ambiguous or
// malformed prefix, repository_error when there is no snapshot (of that source).
object_id resolve_snapshot(const repo& repository, std::string_view spec,
                           std::string_view source = {});

}  // namespace holdfast::repository
