#include "maintenance/pack_subset.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace holdfast::maintenance {

namespace {

// SplitMix64's finalizer: a seed-dependent permutation of the packs that needs no state.
std::uint64_t mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
}

}  // namespace

std::vector<repository::object_id> choose_pack_subset(std::span<const repository::object_id> packs,
                                                      double fraction, std::uint64_t seed) {
    if (packs.empty() || !(fraction > 0)) return {};
    const double wanted = std::ceil(std::min(fraction, 1.0) * static_cast<double>(packs.size()));
    const std::size_t count = std::clamp<std::size_t>(static_cast<std::size_t>(wanted), 1, packs.size());
    std::vector<std::pair<std::uint64_t, repository::object_id>> ranked;
    ranked.reserve(packs.size());
    for (const auto& id : packs) ranked.emplace_back(mix(seed ^ mix(id.hash())), id);
    std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(count - 1), ranked.end());
    std::vector<repository::object_id> chosen;
    chosen.reserve(count);
    for (std::size_t i = 0; i < count; ++i) chosen.push_back(ranked[i].second);
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

}  // namespace holdfast::maintenance
