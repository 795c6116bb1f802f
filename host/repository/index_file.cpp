#include "repository/index_file.hpp"

#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/stored_object.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace holdfast::repository {

namespace {
constexpr std::array<char, 8> index_magic{'H', 'F', 'I', 'D', 'X', '0', '0', '1'};
}

std::vector<std::byte> serialize_index(std::span<const indexed_pack> packs) {
    std::vector<std::byte> out;
    std::size_t records = 0;
    for (const auto& pack : packs) records += pack.records.size();
    out.reserve(12 + packs.size() * 36 + records * blob_record_size);
    for (const char c : index_magic) out.push_back(static_cast<std::byte>(c));
    put_u32(out, static_cast<std::uint32_t>(packs.size()));
    for (const auto& pack : packs) {
        out.insert(out.end(), pack.pack.bytes().begin(), pack.pack.bytes().end());
        put_u32(out, static_cast<std::uint32_t>(pack.records.size()));
        for (const auto& record : pack.records) append_record(out, record);
    }
    return out;
}

std::vector<indexed_pack> parse_index(std::span<const std::byte> bytes, std::string_view object) {
    const auto corrupt = [&](const std::string& why) {
        return corruption_error(std::string(object) + " is corrupt: " + why +
                                "; run 'holdfast check'");
    };
    if (bytes.size() < 12 ||
        !std::equal(index_magic.begin(), index_magic.end(), bytes.begin(),
                    [](char a, std::byte b) { return static_cast<std::byte>(a) == b; }))
        throw corrupt("not an index (wrong magic)");
    const std::uint32_t pack_count = get_u32(bytes, 8);
    std::size_t at = 12;
    std::vector<indexed_pack> packs;
    // Each pack takes at least 36 bytes: a count that cannot fit is refused before reserving.
    if (pack_count > (bytes.size() - at) / 36) throw corrupt("pack count exceeds its size");
    packs.reserve(pack_count);
    for (std::uint32_t i = 0; i < pack_count; ++i) {
        if (bytes.size() - at < 36) throw corrupt("truncated");
        indexed_pack pack;
        pack.pack = object_id(bytes.subspan(at).first<object_id::size>());
        const std::uint32_t count = get_u32(bytes, at + 32);
        at += 36;
        if (count > (bytes.size() - at) / blob_record_size) throw corrupt("truncated");
        pack.records = parse_records(bytes.subspan(at, count * std::size_t{blob_record_size}),
                                     std::numeric_limits<std::uint64_t>::max(), object);
        at += count * std::size_t{blob_record_size};
        packs.push_back(std::move(pack));
    }
    if (at != bytes.size()) throw corrupt(std::to_string(bytes.size() - at) + " trailing bytes");
    return packs;
}

object_id write_index(client::storage_instance& storage, sealer& seal,
                      std::span<const indexed_pack> packs) {
    const auto sealed = seal.seal(serialize_index(packs), aad::index);
    const object_id id = object_id::of_content(sealed);
    storage.put(names::index(id), sealed);
    return id;
}

std::vector<indexed_pack> read_index(client::storage_instance& storage, sealer& seal,
                                     const object_id& id) {
    const std::string name = names::index(id);
    const auto plain = read_sealed_object(storage, seal, name, id, aad::index);
    return parse_index(plain, "index " + name);
}

std::vector<object_id> list_indexes(client::storage_instance& storage) {
    return list_object_ids(storage, names::index_prefix);
}

void load_indexes(client::storage_instance& storage, sealer& seal, master_index& index) {
    for (const object_id& id : list_indexes(storage))
        for (const indexed_pack& pack : read_index(storage, seal, id))
            index.add_pack(pack.pack, pack.records);
}

}  // namespace holdfast::repository
