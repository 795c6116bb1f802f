// Turns a blob's plaintext into its id and stored form and back: HMAC (or SHA-256) id,
// zstd when it pays, AES-256-GCM with the id as associated data. Decoding verifies
// everything (authentication, size, id), so it returns the right bytes or throws.
//
// Holds hash, cipher and zstd contexts: not thread-safe, one per worker (codec_pool).
#pragma once

#include "repository/compression.hpp"
#include "repository/master_key.hpp"
#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/sealer.hpp"

#include <optional>
#include <span>
#include <vector>

namespace holdfast::repository {

struct encoded_blob_bytes {
    blob_encoding compression;
    std::vector<std::byte> stored;
};

class blob_codec {
public:
    // `key` null: an unencrypted repository (SHA-256 ids, no AEAD).
    blob_codec(const master_key* key, int zstd_level);

    object_id id_of(std::span<const std::byte> plain);
    encoded_blob_bytes encode(const object_id& id, std::span<const std::byte> plain);
    // Throws corruption_error naming the pack and the blob on any mismatch.
    std::vector<std::byte> decode(const object_id& pack, const blob_record& record,
                                  std::span<const std::byte> stored);

    // For the objects a blob writer or reader also seals (pack headers, indexes).
    sealer& objects() noexcept { return sealer_; }

private:
    std::optional<hmac_sha256> mac_;
    sealer sealer_;
    zstd_compressor compressor_;
    zstd_decompressor decompressor_;
    std::vector<std::byte> scratch_;
};

}  // namespace holdfast::repository
