#include "maintenance/pack_inventory.hpp"

#include "repository/object_names.hpp"

#include <algorithm>

namespace holdfast::maintenance {

pack_inventory pack_inventory::list(client::storage_instance& storage) {
    pack_inventory inventory;
    storage.list(std::string(repository::names::data_prefix), [&](const client::object_info& info) {
        const auto id = repository::names::pack_id(info.key);
        if (!id) return;
        inventory.packs_.push_back({*id, info.size, info.modified_unix_ns});
    });
    // A plugin that does not report sizes in listings: ask per pack, after the listing (a
    // plugin need not accept calls from inside its own listing callback).
    for (stored_pack& pack : inventory.packs_)
        if (pack.size == 0)
            if (const auto stat = storage.stat(repository::names::pack(pack.id))) {
                pack.size = stat->size;
                pack.modified_unix_ns = stat->modified_unix_ns;
            }
    std::sort(inventory.packs_.begin(), inventory.packs_.end(),
              [](const stored_pack& a, const stored_pack& b) { return a.id < b.id; });
    return inventory;
}

const stored_pack* pack_inventory::find(const repository::object_id& id) const noexcept {
    const auto it = std::lower_bound(packs_.begin(), packs_.end(), id,
                                     [](const stored_pack& p, const repository::object_id& x) { return p.id < x; });
    return it != packs_.end() && it->id == id ? &*it : nullptr;
}

std::uint64_t pack_inventory::total_bytes() const noexcept {
    std::uint64_t total = 0;
    for (const stored_pack& p : packs_) total += p.size;
    return total;
}

}  // namespace holdfast::maintenance
