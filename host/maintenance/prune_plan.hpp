// What prune will do, decided before anything changes. Memory scales with the number of
// blobs (the in-memory index, about 90 bytes each, and the used set, about 43) and of packs
// (about 100 bytes each); index objects are read one at a time, snapshots one at a time.
#pragma once

#include "maintenance/blob_id_set.hpp"
#include "maintenance/pack_inventory.hpp"
#include "maintenance/prune.hpp"
#include "repository/index_file.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"

#include <unordered_map>
#include <vector>

namespace holdfast::maintenance {

enum class pack_action : std::uint8_t { keep, remove, repack };

struct planned_pack {
    std::uint64_t size = 0;        // in storage
    std::uint64_t live_bytes = 0;  // stored bytes of the blobs to keep
    std::uint64_t dead_bytes = 0;
    std::uint32_t live_blobs = 0;
    std::uint32_t dead_blobs = 0;
    pack_action action = pack_action::keep;
    bool orphan = false;  // no index listed it; its header was read
};

struct prune_plan {
    // Every index object read: all of them are replaced by the new ones.
    std::vector<repository::object_id> old_indexes;
    std::unordered_map<repository::object_id, planned_pack, repository::object_id_hash> packs;
    // Orphans old enough to join the repository, with their records (normally none or few).
    std::vector<repository::indexed_pack> recovered_orphans;
    std::vector<stored_pack> damaged_orphans;  // deleted
    std::vector<stored_pack> young_orphans;    // left alone
    std::size_t missing_packs = 0;             // indexed, not in storage: dropped
    blob_id_set used;
    std::size_t snapshots = 0;

    // Packs with `action`, sorted by id.
    std::vector<repository::object_id> with(pack_action action) const;
    // Whether running the plan changes anything at all.
    bool changes_anything() const;
};

// Reads the indexes (replacing `repository`'s in-memory index with them and the old
// enough orphans; missing packs are left out, so each used blob resolves to a copy that
// exists), the orphans' headers, the snapshots, and decides per pack.
prune_plan plan_prune(repository::repo& repository, const prune_options& options);

// Whether this record is the copy of a used blob that prune keeps: the one the in-memory
// index resolves the blob to. Other copies of a used blob are unused duplicates.
bool is_live(const repository::repo& repository, const blob_id_set& used,
             const repository::object_id& pack, const repository::blob_record& record);

}  // namespace holdfast::maintenance
