// The in-memory index of the whole repository: blob id -> pack, offset, lengths, type,
// compression. Built from every index object (and recovered pack headers).
//
// Compact for large repositories: one open-addressing table of fixed 52-byte slots (no
// per-entry allocation), packs numbered through a side table. About 90 bytes per blob on
// average at the table's load factor, so a million blobs (256 GB of data at the default
// chunk size) take under 100 MB.
//
// Not thread-safe; blob_store serializes its own access.
#pragma once

#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace holdfast::repository {

struct blob_location {
    object_id pack;
    blob_record record;
};

class master_index {
public:
    // Adds the pack's blobs. A blob already indexed keeps its first location (the same
    // blob in two packs is harmless: prune removes the extra copy). Returns how many blobs
    // were new.
    std::size_t add_pack(const object_id& pack, std::span<const blob_record> records);

    bool contains(const object_id& blob) const noexcept;
    std::optional<blob_location> find(const object_id& blob) const;
    bool has_pack(const object_id& pack) const noexcept { return pack_numbers_.contains(pack); }

    std::size_t blob_count() const noexcept { return count_; }
    std::size_t pack_count() const noexcept { return packs_.size(); }
    const std::vector<object_id>& packs() const noexcept { return packs_; }

    void clear();

private:
    struct slot {
        object_id id;
        std::uint32_t pack_plus_one = 0;  // 0: empty slot
        std::uint32_t offset = 0;
        std::uint32_t stored_length = 0;
        std::uint32_t plain_length = 0;
        std::uint8_t type = 0;
        std::uint8_t compression = 0;
    };
    static_assert(sizeof(slot) == 52, "the memory figure above assumes 52-byte slots");

    std::size_t find_slot(const object_id& blob) const noexcept;  // slots_.size() if absent
    void grow();
    bool insert(const object_id& blob, std::uint32_t pack_number, const blob_record& record);

    std::vector<slot> slots_;  // size is zero or a power of two
    std::size_t count_ = 0;
    std::vector<object_id> packs_;
    std::unordered_map<object_id, std::uint32_t, object_id_hash> pack_numbers_;
};

}  // namespace holdfast::repository
