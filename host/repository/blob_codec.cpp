#include "repository/blob_codec.hpp"

#include "repository/errors.hpp"

namespace holdfast::repository {

blob_codec::blob_codec(const master_key* key, int zstd_level)
    : sealer_(key ? &key->encryption : nullptr), compressor_(zstd_level) {
    if (key != nullptr) mac_.emplace(key->id_key.bytes());
}

object_id blob_codec::id_of(std::span<const std::byte> plain) {
    return object_id(mac_ ? mac_->mac(plain) : sha256::hash(plain));
}

encoded_blob_bytes blob_codec::encode(const object_id& id, std::span<const std::byte> plain) {
    const encoded_blob encoded = encode_blob(compressor_, plain, scratch_);
    encoded_blob_bytes out{encoded.encoding, {}};
    if (aes256gcm* aead = sealer_.aead()) {
        out.stored.resize(aes256gcm::sealed_size(encoded.bytes.size()));
        aead->seal_into(out.stored, encoded.bytes, id.bytes());
    } else {
        // Unencrypted: the id (SHA-256 of the plaintext) is the integrity check.
        out.stored.assign(encoded.bytes.begin(), encoded.bytes.end());
    }
    return out;
}

std::vector<std::byte> blob_codec::decode(const object_id& pack, const blob_record& record,
                                          std::span<const std::byte> stored) {
    const auto corrupt = [&](const std::string& why) {
        return corruption_error("blob " + record.id.hex() + " in pack " + pack.hex() +
                                " is corrupt: " + why +
                                "; run 'holdfast check --read-data' to find all damage");
    };
    if (stored.size() != record.stored_length)
        throw corrupt("read " + std::to_string(stored.size()) + " bytes of " +
                      std::to_string(record.stored_length) + " (the pack is truncated)");
    std::vector<std::byte> opened;
    std::span<const std::byte> encoded = stored;
    if (aes256gcm* aead = sealer_.aead()) {
        try {
            opened = aead->open(stored, record.id.bytes());
        } catch (const authentication_error&) {
            throw corrupt("authentication failed");
        }
        encoded = opened;
    }
    std::vector<std::byte> plain;
    if (record.compression == blob_encoding::zstd) {
        try {
            // The limit is the recorded size: a frame claiming more is refused before any
            // allocation.
            plain = decompressor_.decompress(encoded, record.plain_length);
        } catch (const compression_error& e) {
            throw corrupt(std::string("cannot decompress: ") + e.what());
        }
    } else {
        plain.assign(encoded.begin(), encoded.end());
    }
    if (plain.size() != record.plain_length)
        throw corrupt("decoded to " + std::to_string(plain.size()) + " bytes, the index says " +
                      std::to_string(record.plain_length));
    if (!constant_time_equal(id_of(plain).bytes(), record.id.bytes()))
        throw corrupt("its content does not match its id");
    return plain;
}

}  // namespace holdfast::repository
