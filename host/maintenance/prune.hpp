// `holdfast prune`: removes the data no snapshot uses. Run under an exclusive lock (a dry
// run needs only a shared one); docs/repository-format.md, "Prune", has the full story.
//
// 1. Plan (prune_plan.hpp): read every index, every snapshot and their content lists, and
//    sort each pack: fully used -> keep; fully unused -> remove; partly used with more
//    than max_unused_ratio of its blob bytes unused -> repack; else keep.
// 2. Repack: copy the used blobs of those packs, verified, into new packs.
// 3. Write new index objects covering every kept and new pack.
// 4. Delete the old index objects.
// 5. Delete the packs no index lists any more.
//
// Each step only starts once the one before is complete, so a crash at any point leaves a
// valid repository: before 4, old and new indexes both describe existing packs (duplicate
// blobs are harmless); after 4, the packs still to delete are merely unreferenced.
#pragma once

#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/utc_time.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace holdfast::maintenance {

enum class prune_stage { packs_written, index_written, old_indexes_deleted, packs_deleted };

struct prune_options {
    bool dry_run = false;
    // A partly used pack is repacked when more than this share of its blob bytes is
    // unused: 0 repacks every partly used pack, 1 never repacks.
    double max_unused_ratio = 0.25;
    // Packs no index lists that are younger than this are left alone: under an exclusive
    // lock no backup runs, but a stalled one whose stale lock was removed with `unlock`
    // might still upload, and its packs must not vanish under it.
    std::chrono::seconds orphan_grace = std::chrono::hours(1);
    // Snapshots to treat as gone (forget --prune --dry-run shows the effect of a forget
    // that did not happen).
    std::vector<repository::object_id> assume_forgotten{};
    // Records per new index object (48 bytes each): bounds the memory for writing indexes.
    std::size_t records_per_index = 65536;
    // "Now", for the age of orphan packs; the clock when unset.
    std::optional<repository::utc_time> now{};

    // Called before every step that changes storage; throws if the lock was lost
    // (repository_lock::check).
    std::function<void()> check_lock{};
    // For tests only (the CLI never sets it): called after each stage of a real run; an
    // exception thrown here stops prune as a crash at that point would.
    std::function<void(prune_stage)> after_stage{};
};

struct pack_total {
    std::uint64_t packs = 0;
    std::uint64_t bytes = 0;

    void add(std::uint64_t size) {
        ++packs;
        bytes += size;
    }
};

struct prune_report {
    bool dry_run = false;
    std::size_t snapshots = 0;
    std::uint64_t used_blobs = 0;    // distinct blobs the snapshots use
    std::uint64_t used_bytes = 0;    // their stored bytes
    std::uint64_t unused_blobs = 0;  // indexed blobs (or extra copies) nothing uses
    std::uint64_t unused_bytes = 0;
    pack_total before;           // every pack in storage
    pack_total keep;             // left as they are
    pack_total remove;           // fully unused: deleted
    pack_total repack;           // partly used: used blobs copied, then deleted
    pack_total damaged_orphans;  // unindexed with unreadable tails: deleted
    pack_total young_orphans;    // unindexed and younger than the grace period: left alone
    std::size_t recovered_orphans = 0;  // unindexed, readable: treated as indexed packs
    std::size_t missing_packs = 0;      // indexed but absent, no used blob in them: dropped
    std::uint64_t repack_bytes = 0;     // used bytes that repacking copies
    pack_total written;                 // new packs (a dry run estimates the bytes)
    std::size_t indexes_written = 0;
    std::size_t indexes_deleted = 0;
    pack_total after;                   // packs in storage afterwards (dry run: estimated)
    bool changed = false;               // whether there was anything to do
};

// Throws repository_error (changing nothing) when an index or snapshot cannot be read, a
// snapshot uses a blob no index has, or a used blob is damaged; holdfast::error (exit 130)
// when interrupted between steps.
prune_report prune(repository::repo& repository, const prune_options& options);

}  // namespace holdfast::maintenance
