// Finding, for a new chunk, similar chunks of the previous snapshot to store it as a delta of
// (blob_codec's zstd_delta). A day's changes to a database dump touch rows spread over whole
// tables: every chunk there is new, yet each differs from yesterday's only in a few rows.
//
// A chunk's sketch is its four smallest anchor keys. An anchor is a position where a gear
// hash of the preceding bytes has its top 11 bits zero (about one per 2 KiB); its key is 32
// further bits of that hash, which depend on the last 21 to 53 bytes. Two chunks that share
// most of their content share most of their anchors, so their smallest keys tend to be the
// same. Each backup stores its streams' sketches (as `sketch` blobs, 16 bytes a chunk, in
// content order); the next backup of the source looks a new chunk's keys up among them and
// uses the chunks they point to, up to four, as its bases.
#pragma once

#include "repository/blob_store.hpp"
#include "repository/chunker.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace holdfast::repository {

struct chunk_sketch {
    static constexpr std::size_t keys_per_sketch = 4;
    static constexpr std::uint32_t no_key = 0xffffffff;
    // Ascending; slots without a key (a chunk with fewer anchors) hold no_key.
    std::array<std::uint32_t, keys_per_sketch> keys{no_key, no_key, no_key, no_key};

    friend bool operator==(const chunk_sketch&, const chunk_sketch&) = default;
};
inline constexpr std::size_t sketch_bytes = 4 * chunk_sketch::keys_per_sketch;  // u32 LE each
inline constexpr std::size_t sketches_per_blob = 16384;

// The sketch of one chunk. `gear` is the repository's (seeded like its chunker).
chunk_sketch sketch_of(std::span<const std::byte> chunk, const gear_table& gear) noexcept;

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
    // The sketch recorded for a chunk of that stream, if it is one.
    std::optional<chunk_sketch> sketch_of(const object_id& chunk) const;

private:
    std::vector<object_id> chunks_;  // in content order
    std::vector<chunk_sketch> sketches_;
    std::unordered_map<std::uint32_t, std::uint32_t> by_key_;  // key -> chunk position
    std::unordered_map<object_id, std::uint32_t, object_id_hash> by_id_;
};

}  // namespace holdfast::repository
