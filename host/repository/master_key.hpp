// The repository's master key material: random at init, never stored except wrapped in key
// slots, and the same for the repository's whole life (changing a password rewraps it).
#pragma once

#include "repository/crypto.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace holdfast::repository {

struct master_key {
    static constexpr std::size_t serialized_size = 72;

    key256 encryption;   // AES-256-GCM for blobs, pack headers, indexes, snapshots
    key256 id_key;       // HMAC-SHA256 for blob ids
    // Derives the chunker's gear table, so chunk boundaries (visible as blob sizes) do not
    // reveal known content.
    std::uint64_t chunker_seed = 0;

    static master_key generate();

    // encryption (32) || id key (32) || chunker seed (8, little-endian)
    secret<serialized_size> serialize() const;
    // Throws std::invalid_argument unless `bytes` has exactly serialized_size bytes.
    static master_key parse(std::span<const std::byte> bytes);
};

}  // namespace holdfast::repository
