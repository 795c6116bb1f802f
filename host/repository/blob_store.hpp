// Stores blobs for the backup pipeline: N worker threads call add() concurrently; each blob
// is identified, deduplicated (against the index, the packs being written, and blobs other
// workers are storing right now), compressed, sealed and appended to the open pack. Full
// packs are uploaded by the worker that filled them; an index object follows every few
// packs and at flush().
//
// Hashing, compression, sealing, pack finishing and uploads run outside the lock. Memory
// is bounded: the open pack plus at most `max_uploads` packs being uploaded; a worker
// that fills a pack while all upload slots are busy waits (backpressure).
//
// Crash safety: packs are uploaded before the index object that names them, and a
// snapshot must only be saved after flush() returned. Packs uploaded before a crash are
// found again by recover_orphan_packs().
#pragma once

#include "repository/index_file.hpp"
#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/pack_writer.hpp"
#include "repository/repository.hpp"

#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <cstdint>
#include <exception>
#include <mutex>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

namespace holdfast::repository {

struct blob_store_options {
    std::size_t max_uploads = 2;      // packs uploading at once (each one is in memory)
    std::size_t packs_per_index = 8;  // write an index object after this many packs
};

struct blob_store_stats {
    std::uint64_t blobs_new = 0;         // stored by this store
    std::uint64_t bytes_new = 0;         // their plaintext size
    std::uint64_t bytes_stored_new = 0;  // their stored (compressed, sealed) size
    std::uint64_t blobs_known = 0;       // add() calls that found the blob already stored
    std::uint64_t blobs_delta = 0;       // of blobs_new, stored as deltas of older blobs
    std::uint64_t packs_written = 0;
    std::uint64_t indexes_written = 0;
};

class blob_store {
public:
    // Uses (and adds to) `repository`'s in-memory index, which should be loaded, with
    // orphans recovered, first. `repository` must outlive the store.
    explicit blob_store(repo& repository, blob_store_options options = {});
    blob_store(const blob_store&) = delete;
    blob_store& operator=(const blob_store&) = delete;
    // Does not flush: blobs not flushed are not part of the repository (uploaded packs
    // are recovered as orphans later).
    ~blob_store();

    struct added {
        object_id id;
        bool stored;  // false: the repository already had it (or another worker is storing it)
    };

    // Ids of stored blobs similar to a new one (delta_references::bases_for); called only
    // when the blob is new.
    using base_finder = std::function<std::vector<object_id>()>;

    // Thread-safe. After an error (storage failure, ...) every later call throws. With
    // `find_bases`, a new blob is stored as a delta of the blobs it names when that is
    // smaller; bases that cannot be read are passed over (the blob is then stored whole).
    added add(blob_type type, std::span<const std::byte> plain, const base_finder& find_bases = {});

    // Whether the blob is stored or being stored. Thread-safe.
    bool contains(const object_id& id) const;

    // Waits for blobs in progress, uploads the open pack and writes the index for every
    // pack not yet indexed. Call after the last add(); then everything added is durable.
    void flush();

    blob_store_stats stats() const;

private:
    void upload(pack_writer full, blob_codec& codec);
    // `encoded` replaced by a delta against the bases `find_bases` names, if that is smaller.
    void try_delta(blob_codec& codec, const object_id& id, std::span<const std::byte> plain,
                   const base_finder& find_bases, encoded_blob_bytes& encoded);
    // A base's plaintext (a recently used one from memory); nullptr if it cannot be read.
    std::shared_ptr<const std::vector<std::byte>> base_plain(blob_codec& codec, const object_id& id,
                                                             const blob_location& location);
    std::optional<blob_location> locate(const object_id& id) const;
    [[noreturn]] void fail_and_rethrow(std::unique_lock<std::mutex>& lock);
    void throw_if_failed() const;

    repo& repo_;
    blob_store_options options_;
    std::uint64_t target_;
    std::size_t reserve_slack_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    pack_writer open_pack_;
    std::unordered_set<object_id, object_id_hash> in_flight_;  // being encoded
    std::unordered_set<object_id, object_id_hash> pending_;    // in packs not yet uploaded
    std::size_t uploading_ = 0;
    std::vector<indexed_pack> unindexed_;
    blob_store_stats stats_;
    std::string failure_;  // non-empty once something failed

    // Consecutive new chunks often share bases: the last few read are kept.
    static constexpr std::size_t base_cache_entries = 16;
    mutable std::mutex base_cache_mutex_;
    std::list<std::pair<object_id, std::shared_ptr<const std::vector<std::byte>>>> base_cache_;
};

}  // namespace holdfast::repository
