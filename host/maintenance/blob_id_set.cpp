#include "maintenance/blob_id_set.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>

namespace holdfast::maintenance {

using repository::object_id;

namespace {

// Slots for `count` ids at a load factor of at most 3/4.
std::size_t slots_for(std::size_t count) { return count + count / 3 + 16; }

}  // namespace

std::size_t blob_id_set::home(const object_id& id) const noexcept {
    // Ids are uniform, so the low 32 bits of their hash are too; multiplying maps them onto
    // any table size (not only powers of two, which would waste up to half the table).
    const auto h32 = static_cast<std::uint32_t>(id.hash());
    return static_cast<std::size_t>((std::uint64_t{h32} * slots_.size()) >> 32);
}

void blob_id_set::reserve(std::size_t expected) {
    const std::size_t wanted = slots_for(expected);
    if (wanted > slots_.size()) rehash(wanted);
}

void blob_id_set::rehash(std::size_t slot_count) {
    if (slot_count > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("blob id set: too many blobs");
    std::vector<object_id> old = std::move(slots_);
    slots_.assign(slot_count, object_id{});
    for (const object_id& id : old) {
        if (id.is_zero()) continue;
        std::size_t i = home(id);
        while (!slots_[i].is_zero()) i = i + 1 == slots_.size() ? 0 : i + 1;
        slots_[i] = id;
    }
}

bool blob_id_set::insert(const object_id& id) {
    if (id.is_zero()) {
        if (has_zero_) return false;
        has_zero_ = true;
        ++count_;
        return true;
    }
    if (slots_.empty() || (count_ + 1) * 4 > slots_.size() * 3) rehash(slots_for(2 * count_ + 1));
    for (std::size_t i = home(id);; i = i + 1 == slots_.size() ? 0 : i + 1) {
        if (slots_[i] == id) return false;
        if (slots_[i].is_zero()) {
            slots_[i] = id;
            ++count_;
            return true;
        }
    }
}

bool blob_id_set::contains(const object_id& id) const noexcept {
    if (id.is_zero()) return has_zero_;
    if (slots_.empty()) return false;
    // Linear probing ends at the first empty slot; the load factor guarantees one exists.
    for (std::size_t i = home(id);; i = i + 1 == slots_.size() ? 0 : i + 1) {
        if (slots_[i] == id) return true;
        if (slots_[i].is_zero()) return false;
    }
}

}  // namespace holdfast::maintenance
