#include "maintenance/pack_file.hpp"

#include "repository/crypto.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"

#include <algorithm>

namespace holdfast::maintenance {

using namespace repository;

std::vector<blob_record> parse_pack_header(std::span<const std::byte> pack, sealer& seal,
                                           const object_id& id) {
    const std::string name = names::pack(id);
    const auto corrupt = [&](const std::string& why) {
        return corruption_error("pack " + name + " is corrupt: " + why + "; run 'holdfast check'");
    };
    if (pack.size() < pack_trailer_size) throw corrupt("too short to hold a pack trailer");
    const auto trailer = pack.last(pack_trailer_size);
    if (!std::equal(pack_magic.begin(), pack_magic.end(), trailer.begin() + 4,
                    [](char a, std::byte b) { return static_cast<std::byte>(a) == b; }))
        throw corrupt("no pack trailer (wrong magic)");
    const std::uint64_t header_size = get_u32(trailer, 0);
    if (header_size > pack.size() - pack_trailer_size)
        throw corrupt("header length " + std::to_string(header_size) + " exceeds the pack");
    const std::size_t data_size = pack.size() - pack_trailer_size - static_cast<std::size_t>(header_size);
    std::vector<std::byte> header;
    try {
        header = seal.open(pack.subspan(data_size, static_cast<std::size_t>(header_size)), aad::pack_header);
    } catch (const authentication_error&) {
        throw corrupt("its header does not authenticate");
    }
    return parse_records(header, data_size, "pack " + name);
}

std::uint64_t expected_pack_size(std::span<const blob_record> records, std::size_t seal_overhead) {
    std::uint64_t data_end = 0;
    for (const blob_record& r : records)
        data_end = std::max(data_end, std::uint64_t{r.offset} + r.stored_length);
    return data_end + records.size() * std::uint64_t{blob_record_size} + seal_overhead +
           pack_trailer_size;
}

std::vector<std::byte> read_whole_pack(client::storage_instance& storage, const object_id& id) {
    try {
        return storage.get(names::pack(id));
    } catch (const client::plugin_error& e) {
        if (e.code() == HF_ERR_NOT_FOUND)
            throw corruption_error("pack " + names::pack(id) + " is missing; run 'holdfast check'");
        throw;
    }
}

object_id records_digest(std::span<const blob_record> records) {
    sha256 hash;
    std::vector<std::byte> bytes;
    bytes.reserve(blob_record_size);
    for (const blob_record& r : records) {
        bytes.clear();
        append_record(bytes, r);
        hash.update(bytes);
    }
    return object_id(hash.finish());
}

}  // namespace holdfast::maintenance
