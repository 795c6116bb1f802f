#include "repository/chunker.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>
#include <utility>

namespace holdfast::repository {

namespace {

// The hash is shifted left once per byte, so after 64 bytes it depends on those alone.
constexpr std::size_t hash_window = 64;

constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    state += 0x9e3779b97f4a7c15;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
}

// The mask tests the top bits: they are the ones that depend on all 64 bytes of the window
// (bit k sees only the last k + 1 bytes), so every cut is decided by a full window. The paper
// spreads its mask bits for the same reason. The top `count` bits are zero where the hash is
// below this limit (count is 4 to 34: validate() bounds avg_size and normalization).
constexpr std::uint64_t below_top_bits(unsigned count) noexcept {
    return std::uint64_t{1} << (64 - count);
}

// Empties the buffer when the scope ends, even if the sink threw, so a stale head never leaks
// into another chunk.
struct clear_after {
    std::vector<std::byte>& buffer;
    ~clear_after() { buffer.clear(); }
};

[[noreturn]] void invalid(const std::string& why) {
    throw std::invalid_argument("chunker parameters: " + why);
}

const chunker_params& validated(const chunker_params& params) {
    params.validate();
    return params;
}

unsigned mask_bits(const chunker_params& params) noexcept {
    return static_cast<unsigned>(std::countr_zero(params.avg_size));
}

}  // namespace

gear_table make_gear_table(std::uint64_t seed) noexcept {
    gear_table table{};
    for (auto& entry : table) entry = splitmix64(seed);
    return table;
}

chunk_sketch sketch_of(std::span<const std::byte> chunk, const gear_table& gear) noexcept {
    sketch_accumulator anchors;
    std::uint64_t h = 0;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(chunk.data());
    for (std::size_t i = 0; i < chunk.size(); ++i) {
        h = (h << 1) + gear[bytes[i]];
        if (i >= sketch_accumulator::first_anchor) anchors.offer(h);
    }
    return anchors.take();
}

void chunker_params::validate() const {
    constexpr std::size_t max_allowed = std::size_t{1} << 30;
    if (avg_size < 256 || !std::has_single_bit(avg_size))
        invalid("avg_size must be a power of two of at least 256, got " + std::to_string(avg_size));
    if (min_size < hash_window)
        invalid("min_size must be at least 64 (the hash window), got " + std::to_string(min_size));
    if (min_size >= avg_size)
        invalid("min_size (" + std::to_string(min_size) + ") must be below avg_size (" +
                std::to_string(avg_size) + ")");
    if (max_size <= avg_size)
        invalid("max_size (" + std::to_string(max_size) + ") must be above avg_size (" +
                std::to_string(avg_size) + ")");
    if (max_size > max_allowed)
        invalid("max_size must be at most 1 GiB, got " + std::to_string(max_size));
    if (normalization > 4)
        invalid("normalization must be 0 to 4, got " + std::to_string(normalization));
}

chunker::chunker(const chunker_params& params)
    : params_(validated(params)),
      gear_(make_gear_table(params_.gear_seed)),
      cut_below_small_(below_top_bits(mask_bits(params_) + params_.normalization)),
      cut_below_large_(below_top_bits(mask_bits(params_) - params_.normalization)) {}

// The loops run over the part of `data` that falls in each zone of the open chunk (window
// filling, below min_size, small mask, large mask, forced cut). Zone ends are chunk lengths;
// `limit` turns one into an index into `data`. A match after byte i cuts the chunk after it.
// Every byte from the first full window on is offered to the sketch, the cut byte included.
//
// Anchors and cuts are both "the hash is below a limit", and both are rare, so each byte
// costs one compare with the larger limit; only a byte that passes it is tested for each.
// (With the default sizes a cut is always an anchor too; with tiny test sizes it is not.)
std::optional<std::size_t> chunker::scan(std::span<const std::byte> data) noexcept {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
    const std::uint64_t* gear = gear_.data();
    const std::size_t n = data.size();
    const std::size_t base = length_;
    const auto limit = [&](std::size_t chunk_length) {
        return chunk_length > base ? std::min(n, chunk_length - base) : std::size_t{0};
    };
    const auto cut = [&](std::size_t end) {
        length_ = 0;
        hash_ = 0;
        sketch_ = anchors_.take();
        return end;
    };

    std::uint64_t h = hash_;
    std::size_t i = 0;
    // Hashes bytes up to `end`, offering anchors; true at a cut (below `cut_below`; 0: none).
    const auto zone = [&](std::size_t end, std::uint64_t cut_below) {
        constexpr std::uint64_t anchor_below = sketch_accumulator::anchor_limit;
        const std::uint64_t rare = std::max(anchor_below, cut_below);
        for (;;) {
            // Four bytes a step while none of their hashes is rare. h·2 + g per byte makes the
            // loop wait on one LEA after another (two cycles each on AMD's cores); the step's
            // last hash, h·16 + (8·g0 + 4·g1 + 2·g2 + g3), costs one shift and one add, and the
            // three in between are derived from h beside it.
            for (; i + 4 <= end; i += 4) {
                const std::uint64_t g0 = gear[bytes[i]], g1 = gear[bytes[i + 1]], g2 = gear[bytes[i + 2]],
                                    g3 = gear[bytes[i + 3]];
                const std::uint64_t h1 = (h << 1) + g0;
                const std::uint64_t h2 = (h1 << 1) + g1;
                const std::uint64_t h3 = (h2 << 1) + g2;
                const std::uint64_t h4 = (h << 4) + ((((((g0 << 1) + g1) << 1) + g2) << 1) + g3);
                if (std::min(std::min(h1, h2), std::min(h3, h4)) < rare) break;
                h = h4;
            }
            // One byte at a time near a rare hash (and for the last few bytes).
            if (i == end) return false;
            h = (h << 1) + gear[bytes[i]];
            if (h < rare) [[unlikely]] {
                anchors_.offer(h);
                if (h < cut_below) return true;
            }
            ++i;
        }
    };
    for (const std::size_t end = limit(sketch_accumulator::first_anchor); i < end; ++i)
        h = (h << 1) + gear[bytes[i]];
    zone(limit(params_.min_size - 1), 0);
    if (zone(limit(params_.avg_size - 1), cut_below_small_)) return cut(i + 1);
    if (zone(limit(params_.max_size - 1), cut_below_large_)) return cut(i + 1);
    if (i < n) {  // the chunk reached max_size: cut whatever the hash
        anchors_.offer((h << 1) + gear[bytes[i]]);
        return cut(i + 1);
    }

    length_ = base + n;
    hash_ = h;
    return std::nullopt;
}

std::size_t chunker::finish() noexcept {
    hash_ = 0;
    sketch_ = anchors_.take();
    return std::exchange(length_, 0);
}

chunk_stream::chunk_stream(const chunker_params& params, sink on_chunk)
    : chunker_(params), sink_(std::move(on_chunk)) {}

void chunk_stream::write(std::span<const std::byte> data) {
    while (!data.empty()) {
        const auto cut = chunker_.scan(data);
        if (!cut) {
            // Reserved once: the chunker cuts at max_size, so this never grows past it.
            if (pending_.capacity() == 0) pending_.reserve(chunker_.params().max_size);
            pending_.insert(pending_.end(), data.begin(), data.end());
            return;
        }
        const auto head = data.first(*cut);
        data = data.subspan(*cut);
        if (pending_.empty()) {
            sink_(head, chunker_.sketch());
        } else {
            pending_.insert(pending_.end(), head.begin(), head.end());
            const clear_after guard{pending_};
            sink_(pending_, chunker_.sketch());
        }
    }
}

void chunk_stream::finish() {
    chunker_.finish();
    if (pending_.empty()) return;
    const clear_after guard{pending_};
    sink_(pending_, chunker_.sketch());
}

}  // namespace holdfast::repository
