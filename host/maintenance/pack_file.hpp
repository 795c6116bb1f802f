// A whole pack held in memory (check --read-data and prune's repacking read one pack at a
// time): its header parsed from the buffer, and the size a pack with given records has.
#pragma once

#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/sealer.hpp"

#include <holdfast/client/storage.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace holdfast::maintenance {

// The pack's records from its trailer and sealed header. Throws corruption_error naming
// the pack if the trailer, the header or a record is bad.
std::vector<repository::blob_record> parse_pack_header(std::span<const std::byte> pack,
                                                       repository::sealer& seal,
                                                       const repository::object_id& id);

// The exact size of the pack these records describe (every record of its header): the
// blob data, the sealed header (`seal_overhead` bytes more than 48 per record) and the
// trailer. Lets check verify pack sizes with a listing instead of reading them.
std::uint64_t expected_pack_size(std::span<const repository::blob_record> records,
                                 std::size_t seal_overhead);

// The whole pack. Throws corruption_error naming it when it does not exist.
std::vector<std::byte> read_whole_pack(client::storage_instance& storage,
                                       const repository::object_id& id);

// A digest of a record list, so that check can compare a pack's header with its index
// entry without holding every index record.
repository::object_id records_digest(std::span<const repository::blob_record> records);

}  // namespace holdfast::maintenance
