#include "repository/pack_reader.hpp"

#include "repository/errors.hpp"
#include "repository/object_names.hpp"

#include <algorithm>

namespace holdfast::repository {

namespace {

// A header longer than this is not one we wrote: 4 GiB of 256-byte blobs is 16 Mi records,
// but packs are at most 1 GiB, so 1 GiB / 48 B per record bounds it with room to spare.
constexpr std::uint64_t max_header_size = std::uint64_t{1} << 30;

std::vector<std::byte> get_range(client::storage_instance& storage, const object_id& pack,
                                 std::uint64_t offset, std::uint64_t length) {
    try {
        return storage.get(names::pack(pack), offset, length);
    } catch (const client::plugin_error& e) {
        if (e.code() == HF_ERR_NOT_FOUND || e.code() == HF_ERR_INVALID_ARGUMENT)
            throw corruption_error("pack " + names::pack(pack) +
                                   " is missing or shorter than the index says (" + e.what() +
                                   "); run 'holdfast check'");
        throw;
    }
}

}  // namespace

std::vector<std::byte> read_blob(client::storage_instance& storage, blob_codec& codec,
                                 const object_id& pack, const blob_record& record,
                                 const base_reader& bases) {
    const auto stored = get_range(storage, pack, record.offset, record.stored_length);
    return codec.decode(pack, record, stored, bases);
}

std::vector<object_id> read_delta_bases(client::storage_instance& storage, blob_codec& codec,
                                        const object_id& pack, const blob_record& record) {
    if (record.compression != blob_encoding::zstd_delta) return {};
    const auto stored = get_range(storage, pack, record.offset, record.stored_length);
    return codec.delta_bases(pack, record, stored);
}

std::vector<blob_record> read_pack_header(client::storage_instance& storage, sealer& seal,
                                          const object_id& pack, std::uint64_t pack_size) {
    const std::string name = names::pack(pack);
    const auto corrupt = [&](const std::string& why) {
        return corruption_error("pack " + name + " is corrupt: " + why + "; run 'holdfast check'");
    };
    if (pack_size < pack_trailer_size) throw corrupt("too short to hold a pack trailer");
    const auto trailer = get_range(storage, pack, pack_size - pack_trailer_size, pack_trailer_size);
    if (trailer.size() != pack_trailer_size) throw corrupt("truncated trailer");
    if (!std::equal(pack_magic.begin(), pack_magic.end(), trailer.begin() + 4,
                    [](char a, std::byte b) { return static_cast<std::byte>(a) == b; }))
        throw corrupt("no pack trailer (wrong magic)");
    const std::uint64_t header_size = get_u32(trailer, 0);
    if (header_size > pack_size - pack_trailer_size || header_size > max_header_size)
        throw corrupt("header length " + std::to_string(header_size) + " exceeds the pack");
    const std::uint64_t data_size = pack_size - pack_trailer_size - header_size;
    const auto sealed = get_range(storage, pack, data_size, header_size);
    if (sealed.size() != header_size) throw corrupt("truncated header");
    std::vector<std::byte> header;
    try {
        header = seal.open(sealed, aad::pack_header);
    } catch (const authentication_error&) {
        throw corrupt("its header does not authenticate");
    }
    return parse_records(header, data_size, "pack " + name);
}

}  // namespace holdfast::repository
