// Every blob the snapshots use: their data blobs and the list blobs that hold long content
// lists. Snapshots are read one at a time and content lists streamed, so memory is the
// set itself (blob_id_set, about 43 bytes per used blob) plus one snapshot.
#pragma once

#include "maintenance/blob_id_set.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"

#include <span>

namespace holdfast::maintenance {

struct used_blobs {
    blob_id_set blobs;
    std::size_t snapshots = 0;  // snapshots read
};

// Uses repository's in-memory index (loaded) to find list blobs. Snapshots in `ignore`
// are skipped (a dry run of forget --prune). Throws repository_error when a snapshot
// cannot be read or uses a blob the index does not have: prune must then not delete
// anything, since it cannot know what that snapshot needs.
used_blobs collect_used_blobs(const repository::repo& repository,
                              std::span<const repository::object_id> ignore = {});

}  // namespace holdfast::maintenance
