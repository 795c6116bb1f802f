// Packs that no index mentions (a backup killed after uploading packs but before writing
// their index, or a writer still running elsewhere): read their headers, add their blobs
// to the in-memory index so the next backup reuses them, and write an index for them.
#pragma once

#include "repository/object_id.hpp"
#include "repository/repository.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace holdfast::repository {

struct orphan_recovery_result {
    std::size_t packs = 0;  // orphan packs recovered
    std::size_t blobs = 0;  // blobs they added to the index
    std::vector<object_id> damaged;  // orphans whose header could not be read (skipped)
    std::optional<object_id> index;  // the index object written for them
};

// Call after repo::load_index(). Damaged orphans are reported (and logged), not fatal:
// prune removes them. With `persist` false only the in-memory index changes (for
// read-only commands).
orphan_recovery_result recover_orphan_packs(repo& target, bool persist = true);

}  // namespace holdfast::repository
