// Reading from packs with ranged gets: one blob by its record, or a pack's header from its
// tail (trailer, then header) to recover packs no index mentions.
#pragma once

#include "repository/blob_codec.hpp"
#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/sealer.hpp"

#include <holdfast/client/storage.hpp>

#include <cstdint>
#include <vector>

namespace holdfast::repository {

// The blob's plaintext, verified by `codec` (authentication, size, id); a delta blob's bases
// come from `bases` (see blob_codec::decode). Throws corruption_error naming the pack and
// the blob; a missing pack is a corruption too.
std::vector<std::byte> read_blob(client::storage_instance& storage, blob_codec& codec,
                                 const object_id& pack, const blob_record& record,
                                 const base_reader& bases);
// The bases a delta blob names (none for other blobs), read and authenticated.
std::vector<object_id> read_delta_bases(client::storage_instance& storage, blob_codec& codec,
                                        const object_id& pack, const blob_record& record);

// The records of a pack of `pack_size` bytes, read from its tail with two ranged gets.
// Throws corruption_error naming the pack if the trailer, the header or a record is bad.
std::vector<blob_record> read_pack_header(client::storage_instance& storage, sealer& seal,
                                          const object_id& pack, std::uint64_t pack_size);

}  // namespace holdfast::repository
