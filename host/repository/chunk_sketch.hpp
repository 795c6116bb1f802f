// A chunk's sketch: its four smallest anchor keys, which similar chunks tend to share
// (delta_sketch.hpp uses them to find delta bases). An anchor is a position where the gear
// hash of the last 64 bytes (the chunker's hash, restarted at each chunk) has its top 11 bits
// zero, about one per 2 KiB; its key is the next 32 bits of that hash. The chunker collects
// the sketch in the same pass that finds the cut, so it costs no second look at the bytes.
//
// Sketches are stored in the repository (sketch blobs): the rule is part of its format.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace holdfast::repository {

struct chunk_sketch {
    static constexpr std::size_t keys_per_sketch = 4;
    static constexpr std::uint32_t no_key = 0xffffffff;
    // Ascending; slots without a key (a chunk with fewer anchors) hold no_key.
    std::array<std::uint32_t, keys_per_sketch> keys{no_key, no_key, no_key, no_key};

    friend bool operator==(const chunk_sketch&, const chunk_sketch&) = default;
};

// Builds one chunk's sketch from its gear hash values, fed by whoever computes the hash.
class sketch_accumulator {
public:
    static constexpr unsigned anchor_bits = 11;
    // A hash below this has its top anchor_bits zero. Only the first 63 bytes of a chunk
    // cannot be anchors: their hash has not seen a full window of the chunk yet.
    static constexpr std::uint64_t anchor_limit = std::uint64_t{1} << (64 - anchor_bits);
    static constexpr std::size_t first_anchor = 63;  // chunk offset of the first full window

    // Offers the hash after the byte at chunk offset >= first_anchor. Inline, and one compare
    // when it is no anchor (all but one byte in 2,048), so a hashing loop can call it per byte.
    void offer(std::uint64_t hash) noexcept {
        if (hash < anchor_limit) add(hash);
    }
    // The sketch so far; starts the next one.
    chunk_sketch take() noexcept;

private:
    void add(std::uint64_t hash) noexcept;
    chunk_sketch sketch_;
};

}  // namespace holdfast::repository
