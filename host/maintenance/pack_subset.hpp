// Which packs `check --read-data-subset` reads: a share of them chosen by a seed, so one
// run reads a random sample and running again with the same seed reads the same packs.
#pragma once

#include "repository/object_id.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace holdfast::maintenance {

// ceil(fraction * packs) of `packs` (at least one when there are any and fraction > 0),
// sorted. `fraction` in (0, 1].
std::vector<repository::object_id> choose_pack_subset(std::span<const repository::object_id> packs,
                                                      double fraction, std::uint64_t seed);

}  // namespace holdfast::maintenance
