// Content-defined chunking: FastCDC (Xia et al., "The Design of Fast Content-Defined
// Chunking for Data Deduplication Based Storage Systems", IEEE TPDS 2020).
//
// A cut is placed where a rolling gear hash of the last 64 bytes matches a mask, so an
// insertion or deletion moves only the boundaries next to it and the rest of the stream
// deduplicates. As in the paper: no cut before min_size, a harder mask before avg_size and an
// easier one after it, a forced cut at max_size. Two deliberate differences: every cut is
// decided by a full 64-byte window of content and never by the distance from the previous
// cut, so boundaries realign sooner after an edit; and the bytes before min_size are hashed
// too (the paper skips them), because the same pass collects the chunk's sketch
// (chunk_sketch.hpp). The hash restarts at each chunk.
//
// The cut positions are part of the repository format: the same parameters, gear seed and
// bytes must give the same cuts forever (tests pin them).
#pragma once

#include "repository/chunk_sketch.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace holdfast::repository {

// The gear table is 256 outputs of SplitMix64 (Steele, Lea, Flood 2014) started from this
// seed, the ASCII bytes of "holdfast" read big-endian. Any fixed table of well-mixed 64-bit
// values works; a generator is used so the table can be checked rather than trusted.
inline constexpr std::uint64_t default_gear_seed = 0x686f6c6466617374;

using gear_table = std::array<std::uint64_t, 256>;

gear_table make_gear_table(std::uint64_t seed) noexcept;

// The sketch of one chunk's bytes: what the chunker collects while cutting, written as the
// rule alone (the tests check the chunker against it). `gear` is the repository's.
chunk_sketch sketch_of(std::span<const std::byte> chunk, const gear_table& gear) noexcept;

// The defaults (64 KiB / 256 KiB / 2 MiB) come from two days of shared/bench/realistic-db.sql
// (scale 2, pg_dump): the second day's upload was 6.5 MB with these, 7.7 MB with restic's
// 512 KiB / 1 MiB / 8 MiB and 5.0 MB at 64 KiB average, which needs 4x the blobs (index size,
// per-blob work). Compression ratio was the same for all three. min = avg / 4 and
// max = 8 * avg are the paper's ratios.
struct chunker_params {
    std::size_t min_size = 64 * 1024;
    std::size_t avg_size = 256 * 1024;  // a power of two: the mask has log2(avg) bits
    std::size_t max_size = 2 * 1024 * 1024;
    // Normalization level (the paper's NC): the mask before avg_size has this many bits more,
    // the one after it this many fewer, which pulls chunk sizes towards avg_size. 2 is the
    // paper's recommendation; 0 is plain gear CDC with cut-point skipping.
    unsigned normalization = 2;
    std::uint64_t gear_seed = default_gear_seed;

    // Throws std::invalid_argument naming the broken rule: 64 <= min < avg < max <= 1 GiB,
    // avg a power of two from 256 B, normalization <= 4.
    void validate() const;

    friend bool operator==(const chunker_params&, const chunker_params&) = default;
};

// Finds chunk boundaries in a stream fed in pieces of any size. It holds no stream bytes,
// only the rolling hash and the length of the open chunk, so memory is constant; cuts depend
// on the bytes alone, never on how they were split into pieces.
class chunker {
public:
    explicit chunker(const chunker_params& params);

    // Continues the stream with `data`. Returns the number of leading bytes of `data` that
    // complete the open chunk (the next chunk starts after them), or nullopt when all of
    // `data` belongs to the open chunk. Call again with the rest after a cut.
    std::optional<std::size_t> scan(std::span<const std::byte> data) noexcept;

    // Ends the stream: returns the length of the last, possibly short, chunk (0 when the
    // stream ended on a cut or was empty) and resets for a new stream.
    std::size_t finish() noexcept;

    // The sketch of the chunk that the last cut (or finish()) ended.
    const chunk_sketch& sketch() const noexcept { return sketch_; }

    // Bytes of the open chunk seen so far.
    std::size_t pending() const noexcept { return length_; }

    const chunker_params& params() const noexcept { return params_; }

private:
    chunker_params params_;
    gear_table gear_;
    // A cut is where the hash's top bits are zero, that is, where it is below a limit.
    std::uint64_t cut_below_small_;  // while the chunk is shorter than avg_size: harder to match
    std::uint64_t cut_below_large_;  // from avg_size on: easier to match
    std::size_t length_ = 0;
    std::uint64_t hash_ = 0;
    sketch_accumulator anchors_;  // of the open chunk
    chunk_sketch sketch_;         // of the last chunk ended
};

// Cuts a stream into chunks and hands each one's bytes and sketch to a sink. A chunk lying
// wholly inside one written buffer is passed straight from it, without a copy; a chunk that
// spans buffers is gathered in an internal buffer, which never holds more than max_size
// bytes. The span given to the sink is valid only during the call.
class chunk_stream {
public:
    using sink = std::function<void(std::span<const std::byte> chunk, const chunk_sketch& sketch)>;

    chunk_stream(const chunker_params& params, sink on_chunk);

    void write(std::span<const std::byte> data);
    // Emits the last chunk, if any, and resets for a new stream.
    void finish();

private:
    chunker chunker_;
    sink sink_;
    std::vector<std::byte> pending_;
};

}  // namespace holdfast::repository
