// Turns a blob's plaintext into its id and stored form and back: HMAC (or SHA-256) id,
// zstd when it pays, AES-256-GCM with the id as associated data. Decoding verifies
// everything (authentication, size, id), so it returns the right bytes or throws.
//
// A delta blob (blob_encoding::zstd_delta) is compressed against the plaintexts of up to
// max_delta_bases other blobs, its bases. Sealed, it holds: u8 base count, each base's
// 32-byte id, then the zstd frame, compressed with the bases' plaintexts concatenated in
// that order as its prefix. A base is never a delta itself, so a read needs one level of
// bases at most.
//
// Holds hash, cipher and zstd contexts: not thread-safe, one per worker (codec_pool).
#pragma once

#include "repository/compression.hpp"
#include "repository/master_key.hpp"
#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/sealer.hpp"

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace holdfast::repository {

struct encoded_blob_bytes {
    blob_encoding compression;
    std::vector<std::byte> stored;
};

inline constexpr std::size_t max_delta_bases = 8;
// The bases of one delta blob together: zstd's window must span them and the blob, and a
// reader holds them all in memory.
inline constexpr std::size_t max_delta_base_bytes = 32u << 20;

// A blob a delta is stored against: its id and plaintext.
struct delta_base {
    object_id id;
    std::span<const std::byte> plain;
};

// Gives the verified plaintext of a base blob (one that is not a delta); throws what a read
// throws.
using base_reader = std::function<std::vector<std::byte>(const object_id&)>;

class blob_codec {
public:
    // `key` null: an unencrypted repository (SHA-256 ids, no AEAD).
    blob_codec(const master_key* key, int zstd_level);

    object_id id_of(std::span<const std::byte> plain);
    encoded_blob_bytes encode(const object_id& id, std::span<const std::byte> plain);
    // `plain` stored against `bases` (1 to max_delta_bases, at most max_delta_base_bytes,
    // none a delta); nullopt when that would not be smaller than `beat` bytes stored.
    std::optional<encoded_blob_bytes> encode_delta(const object_id& id, std::span<const std::byte> plain,
                                                   std::span<const delta_base> bases,
                                                   std::size_t beat);
    // Throws corruption_error naming the pack and the blob on any mismatch. A delta blob's
    // bases come from `bases`; without one (empty), a delta blob is refused as corrupt: that
    // is how reading a base refuses a base that is itself a delta.
    std::vector<std::byte> decode(const object_id& pack, const blob_record& record,
                                  std::span<const std::byte> stored, const base_reader& bases);
    // The ids of the bases a delta blob's stored bytes name, authenticated but not
    // decompressed (prune and check follow them). Throws corruption_error.
    std::vector<object_id> delta_bases(const object_id& pack, const blob_record& record,
                                       std::span<const std::byte> stored);

    // For the objects a blob writer or reader also seals (pack headers, indexes).
    sealer& objects() noexcept { return sealer_; }

private:
    std::optional<hmac_sha256> mac_;
    sealer sealer_;
    zstd_compressor compressor_;
    zstd_decompressor decompressor_;
    std::vector<std::byte> scratch_;
    std::vector<std::byte> prefix_;  // the bases of the delta being encoded or decoded

    // The sealed form of `encoded` (AES-GCM with the id as associated data, or as is).
    std::vector<std::byte> seal(const object_id& id, std::span<const std::byte> encoded);
    // The sealed bytes opened and their length checked against the record: `stored` itself
    // when unencrypted, else the plaintext decrypted into `opened`.
    std::span<const std::byte> open(const object_id& pack, const blob_record& record,
                                    std::span<const std::byte> stored, std::vector<std::byte>& opened);
};

}  // namespace holdfast::repository
