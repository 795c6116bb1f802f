// The packs in storage as one listing of data/ shows them: id, size, modification time.
// Check compares it with the indexes; prune decides from it what exists and how old an
// unindexed pack is. One entry per pack (about 50 bytes), sorted by id.
#pragma once

#include "repository/object_id.hpp"

#include <holdfast/client/storage.hpp>

#include <cstdint>
#include <vector>

namespace holdfast::maintenance {

struct stored_pack {
    repository::object_id id;
    std::uint64_t size = 0;
    std::int64_t modified_unix_ns = 0;
};

class pack_inventory {
public:
    // Lists data/; keys that are not canonical pack names are skipped, as everywhere.
    static pack_inventory list(client::storage_instance& storage);

    const stored_pack* find(const repository::object_id& id) const noexcept;
    const std::vector<stored_pack>& packs() const noexcept { return packs_; }
    std::uint64_t total_bytes() const noexcept;

private:
    std::vector<stored_pack> packs_;
};

}  // namespace holdfast::maintenance
