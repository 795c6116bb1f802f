#include "repository/master_index.hpp"

#include <stdexcept>

namespace holdfast::repository {

std::size_t master_index::find_slot(const object_id& blob) const noexcept {
    if (slots_.empty()) return slots_.size();
    const std::size_t mask = slots_.size() - 1;
    // Linear probing: ids are uniform, so runs stay short at this load factor.
    for (std::size_t i = static_cast<std::size_t>(blob.hash()) & mask;; i = (i + 1) & mask) {
        const slot& s = slots_[i];
        if (s.pack_plus_one == 0) return slots_.size();
        if (s.id == blob) return i;
    }
}

bool master_index::contains(const object_id& blob) const noexcept {
    return find_slot(blob) != slots_.size();
}

std::optional<blob_location> master_index::find(const object_id& blob) const {
    const std::size_t i = find_slot(blob);
    if (i == slots_.size()) return std::nullopt;
    const slot& s = slots_[i];
    return blob_location{packs_[s.pack_plus_one - 1],
                         blob_record{.type = static_cast<blob_type>(s.type),
                                     .compression = static_cast<blob_encoding>(s.compression),
                                     .offset = s.offset,
                                     .stored_length = s.stored_length,
                                     .plain_length = s.plain_length,
                                     .id = s.id}};
}

void master_index::grow() {
    std::vector<slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const slot& s : old) {
        if (s.pack_plus_one == 0) continue;
        std::size_t i = static_cast<std::size_t>(s.id.hash()) & mask;
        while (slots_[i].pack_plus_one != 0) i = (i + 1) & mask;
        slots_[i] = s;
    }
}

bool master_index::insert(const object_id& blob, std::uint32_t pack_number,
                          const blob_record& record) {
    // Keep the load factor at most 3/4.
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(blob.hash()) & mask;
    for (; slots_[i].pack_plus_one != 0; i = (i + 1) & mask)
        if (slots_[i].id == blob) return false;
    slots_[i] = slot{.id = blob,
                     .pack_plus_one = pack_number + 1,
                     .offset = record.offset,
                     .stored_length = record.stored_length,
                     .plain_length = record.plain_length,
                     .type = static_cast<std::uint8_t>(record.type),
                     .compression = static_cast<std::uint8_t>(record.compression)};
    ++count_;
    return true;
}

std::size_t master_index::add_pack(const object_id& pack, std::span<const blob_record> records) {
    std::uint32_t number = 0;
    if (const auto it = pack_numbers_.find(pack); it != pack_numbers_.end()) {
        number = it->second;
    } else {
        if (packs_.size() >= 0xfffffffeu) throw std::length_error("too many packs in the index");
        number = static_cast<std::uint32_t>(packs_.size());
        packs_.push_back(pack);
        pack_numbers_.emplace(pack, number);
    }
    std::size_t fresh = 0;
    for (const blob_record& record : records)
        if (insert(record.id, number, record)) ++fresh;
    return fresh;
}

void master_index::clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    count_ = 0;
    packs_.clear();
    pack_numbers_.clear();
}

}  // namespace holdfast::repository
