#include "repository/chunk_sketch.hpp"

#include <algorithm>
#include <utility>

namespace holdfast::repository {

void sketch_accumulator::add(std::uint64_t hash) noexcept {
    auto& keys = sketch_.keys;
    const auto key = static_cast<std::uint32_t>((hash << anchor_bits) >> 32);
    if (key >= keys.back() || std::find(keys.begin(), keys.end(), key) != keys.end()) return;
    // Insert in order, dropping the largest.
    auto at = std::upper_bound(keys.begin(), keys.end(), key);
    std::move_backward(at, keys.end() - 1, keys.end());
    *at = key;
}

chunk_sketch sketch_accumulator::take() noexcept { return std::exchange(sketch_, chunk_sketch{}); }

}  // namespace holdfast::repository
