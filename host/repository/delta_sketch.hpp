// Finding, for a new chunk, similar chunks of the previous snapshot to store it as a delta of
// (blob_codec's zstd_delta). A day's changes to a database dump touch rows spread over whole
// tables: every chunk there is new, yet each differs from yesterday's only in a few rows.
//
// A chunk's sketch (chunk_sketch.hpp, collected by the chunker) is its four smallest anchor
// keys; a key depends on the last 21 to 53 bytes before its anchor. Two chunks that share
// most of their content share most of their anchors, so their smallest keys tend to be the
// same. Each backup stores its streams' sketches (as `sketch` blobs, 16 bytes a chunk, in
// content order); the next backup of the source looks a new chunk's keys up among them and
// uses the chunks they point to, up to four, as its bases.
#pragma once

#include "repository/blob_store.hpp"
#include "repository/chunk_sketch.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace holdfast::repository {

inline constexpr std::size_t sketch_bytes = 4 * chunk_sketch::keys_per_sketch;  // u32 LE each
inline constexpr std::size_t sketches_per_blob = 16384;

// Collects a stream's sketches in content order and stores them as sketch blobs of up to
// 16,384 sketches. Not thread-safe (one per stream).
class sketch_list_builder {
public:
    explicit sketch_list_builder(blob_store& store) : store_(store) {}
    void append(const chunk_sketch& sketch);
    // Sets entry.sketch_lists, storing the last blob.
    void finish(stream_entry& entry);

private:
    void store_pending();
    blob_store& store_;
    std::vector<std::byte> pending_;
    std::vector<object_id> lists_;
};

// The previous snapshot's version of one stream, for choosing bases. Read-only once loaded,
// so workers share it without locking.
class delta_references {
public:
    // Reads the stream's content and sketch lists. nullopt when the stream has no sketches
    // (written before they existed) or they do not match its content; throws what reading
    // throws.
    static std::optional<delta_references> load(const repo& repository, const stream_entry& stream);

    // Up to four chunks of that stream that share keys with `sketch`, in stream order. Some
    // may be delta blobs themselves; the blob store uses their bases instead.
    std::vector<object_id> bases_for(const chunk_sketch& sketch) const;

private:
    std::vector<object_id> chunks_;  // in content order
    std::unordered_map<std::uint32_t, std::uint32_t> by_key_;  // key -> chunk position
};

}  // namespace holdfast::repository
