#include "repository/pack_writer.hpp"

#include <limits>
#include <stdexcept>

namespace holdfast::repository {

const blob_record& pack_writer::add(const object_id& id, blob_type type,
                                    blob_encoding compression, std::uint32_t plain_length,
                                    std::span<const std::byte> stored) {
    constexpr std::uint64_t limit = std::numeric_limits<std::uint32_t>::max();
    if (std::uint64_t{bytes_.size()} + stored.size() > limit)
        throw std::length_error("pack would exceed 4 GiB");
    records_.push_back({.type = type,
                        .compression = compression,
                        .offset = static_cast<std::uint32_t>(bytes_.size()),
                        .stored_length = static_cast<std::uint32_t>(stored.size()),
                        .plain_length = plain_length,
                        .id = id});
    bytes_.insert(bytes_.end(), stored.begin(), stored.end());
    return records_.back();
}

finished_pack pack_writer::finish(sealer& seal) {
    std::vector<std::byte> header;
    header.reserve(records_.size() * blob_record_size);
    for (const blob_record& record : records_) append_record(header, record);
    const auto sealed = seal.seal(header, aad::pack_header);

    finished_pack pack;
    pack.bytes = std::move(bytes_);
    // One exact reallocation at most, rather than the vector doubling a 16 MiB buffer.
    pack.bytes.reserve(pack.bytes.size() + sealed.size() + pack_trailer_size);
    pack.bytes.insert(pack.bytes.end(), sealed.begin(), sealed.end());
    put_u32(pack.bytes, static_cast<std::uint32_t>(sealed.size()));
    for (const char c : pack_magic) pack.bytes.push_back(static_cast<std::byte>(c));
    pack.id = object_id::of_content(pack.bytes);
    pack.records = std::move(records_);
    bytes_ = {};
    records_ = {};
    return pack;
}

}  // namespace holdfast::repository
