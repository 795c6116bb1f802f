// Index objects (index/<id>): which blobs live in which pack. Sealed binary:
//   "HFIDX001", u32 pack count, per pack: pack id (32), u32 record count, records (48 each).
#pragma once

#include "repository/master_index.hpp"
#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/sealer.hpp"

#include <holdfast/client/storage.hpp>

#include <span>
#include <vector>

namespace holdfast::repository {

struct indexed_pack {
    object_id pack;
    std::vector<blob_record> records;
};

std::vector<std::byte> serialize_index(std::span<const indexed_pack> packs);
// Throws corruption_error naming `object`.
std::vector<indexed_pack> parse_index(std::span<const std::byte> bytes, std::string_view object);

// Seals and stores one index object; returns its id (the SHA-256 of the stored bytes).
object_id write_index(client::storage_instance& storage, sealer& seal,
                      std::span<const indexed_pack> packs);

// Reads, verifies (name, then authentication) and parses one index object. Throws
// corruption_error naming index/<id>.
std::vector<indexed_pack> read_index(client::storage_instance& storage, sealer& seal,
                                     const object_id& id);

// Every index object's id, in key order.
std::vector<object_id> list_indexes(client::storage_instance& storage);

// Adds every index object to `index`.
void load_indexes(client::storage_instance& storage, sealer& seal, master_index& index);

}  // namespace holdfast::repository
