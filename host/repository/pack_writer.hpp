// Builds one pack in memory: stored blobs appended back to back, then the sealed header and
// the trailer. The pack's id is the SHA-256 of its bytes.
#pragma once

#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/sealer.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace holdfast::repository {

struct finished_pack {
    object_id id;
    std::vector<std::byte> bytes;
    std::vector<blob_record> records;
};

class pack_writer {
public:
    pack_writer() = default;

    // Appends a stored blob; returns its record (offset filled in). Throws
    // std::length_error if the pack would pass 4 GiB, which 32-bit offsets cannot address.
    const blob_record& add(const object_id& id, blob_type type, blob_encoding compression,
                           std::uint32_t plain_length, std::span<const std::byte> stored);

    // Reserves room for `bytes` of pack, so a pack filled up to that does not reallocate.
    void reserve(std::size_t bytes) { bytes_.reserve(bytes); }

    std::size_t size() const noexcept { return bytes_.size(); }
    std::size_t count() const noexcept { return records_.size(); }
    bool empty() const noexcept { return records_.empty(); }

    // Seals the header (associated data aad::pack_header), appends it and the trailer, and
    // leaves this writer empty for the next pack.
    finished_pack finish(sealer& seal);

private:
    std::vector<std::byte> bytes_;
    std::vector<blob_record> records_;
};

}  // namespace holdfast::repository
