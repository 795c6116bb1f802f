#include "repository/blob_codec.hpp"

#include "repository/errors.hpp"

#include <algorithm>

namespace holdfast::repository {

namespace {

corruption_error blob_corruption(const object_id& pack, const blob_record& record, const std::string& why) {
    return corruption_error("blob " + record.id.hex() + " in pack " + pack.hex() + " is corrupt: " + why +
                            "; run 'holdfast check --read-data' to find all damage");
}

}  // namespace

blob_codec::blob_codec(const master_key* key, int zstd_level)
    : sealer_(key ? &key->encryption : nullptr), compressor_(zstd_level) {
    if (key != nullptr) mac_.emplace(key->id_key.bytes());
}

object_id blob_codec::id_of(std::span<const std::byte> plain) {
    return object_id(mac_ ? mac_->mac(plain) : sha256::hash(plain));
}

std::vector<std::byte> blob_codec::seal(const object_id& id, std::span<const std::byte> encoded) {
    std::vector<std::byte> stored;
    if (aes256gcm* aead = sealer_.aead()) {
        stored.resize(aes256gcm::sealed_size(encoded.size()));
        aead->seal_into(stored, encoded, id.bytes());
    } else {
        // Unencrypted: the id (SHA-256 of the plaintext) is the integrity check.
        stored.assign(encoded.begin(), encoded.end());
    }
    return stored;
}

encoded_blob_bytes blob_codec::encode(const object_id& id, std::span<const std::byte> plain) {
    const encoded_blob encoded = encode_blob(compressor_, plain, scratch_);
    return {encoded.encoding, seal(id, encoded.bytes)};
}

std::optional<encoded_blob_bytes> blob_codec::encode_delta(const object_id& id,
                                                           std::span<const std::byte> plain,
                                                           std::span<const delta_base> bases,
                                                           std::size_t beat) {
    if (bases.empty() || bases.size() > max_delta_bases)
        throw std::invalid_argument("a delta blob needs 1 to " + std::to_string(max_delta_bases) + " bases");
    prefix_.clear();
    for (const delta_base& base : bases) prefix_.insert(prefix_.end(), base.plain.begin(), base.plain.end());
    if (prefix_.size() > max_delta_base_bytes)
        throw std::invalid_argument("the bases of a delta blob exceed " + std::to_string(max_delta_base_bytes) + " bytes");
    const std::size_t header = 1 + 32 * bases.size();
    const std::size_t room = header + zstd_compressor::bound(plain.size());
    if (scratch_.size() < room) scratch_.resize(room);
    scratch_[0] = static_cast<std::byte>(bases.size());
    for (std::size_t i = 0; i < bases.size(); ++i)
        std::copy(bases[i].id.bytes().begin(), bases[i].id.bytes().end(), scratch_.begin() + 1 + 32 * static_cast<std::ptrdiff_t>(i));
    const auto size = compressor_.compress_into(std::span(scratch_).subspan(header, room - header), plain, prefix_);
    if (!size) return std::nullopt;
    const std::span<const std::byte> encoded = std::span<const std::byte>(scratch_).first(header + *size);
    if ((sealer_.aead() ? aes256gcm::sealed_size(encoded.size()) : encoded.size()) >= beat) return std::nullopt;
    return encoded_blob_bytes{blob_encoding::zstd_delta, seal(id, encoded)};
}

std::span<const std::byte> blob_codec::open(const object_id& pack, const blob_record& record,
                                            std::span<const std::byte> stored, std::vector<std::byte>& opened) {
    if (stored.size() != record.stored_length)
        throw blob_corruption(pack, record, "read " + std::to_string(stored.size()) + " bytes of " +
                              std::to_string(record.stored_length) + " (the pack is truncated)");
    aes256gcm* aead = sealer_.aead();
    if (!aead) return stored;
    try {
        opened = aead->open(stored, record.id.bytes());
        return opened;
    } catch (const authentication_error&) {
        throw blob_corruption(pack, record, "authentication failed");
    }
}

namespace {

struct delta_layout {
    std::vector<object_id> bases;
    std::span<const std::byte> frame;
};

std::optional<delta_layout> parse_delta(std::span<const std::byte> encoded) {
    if (encoded.empty()) return std::nullopt;
    const std::size_t count = std::to_integer<std::size_t>(encoded[0]);
    if (count == 0 || count > max_delta_bases || encoded.size() < 1 + 32 * count) return std::nullopt;
    delta_layout out;
    for (std::size_t i = 0; i < count; ++i)
        out.bases.emplace_back(encoded.subspan(1 + 32 * i).first<32>());
    out.frame = encoded.subspan(1 + 32 * count);
    return out;
}

}  // namespace

std::vector<object_id> blob_codec::delta_bases(const object_id& pack, const blob_record& record,
                                               std::span<const std::byte> stored) {
    if (record.compression != blob_encoding::zstd_delta) return {};
    std::vector<std::byte> opened;
    const auto layout = parse_delta(open(pack, record, stored, opened));
    if (!layout) throw blob_corruption(pack, record, "its list of delta bases is malformed");
    return layout->bases;
}

std::vector<std::byte> blob_codec::decode(const object_id& pack, const blob_record& record,
                                          std::span<const std::byte> stored, const base_reader& bases) {
    const auto corrupt = [&](const std::string& why) { return blob_corruption(pack, record, why); };
    std::vector<std::byte> opened;
    const std::span<const std::byte> encoded = open(pack, record, stored, opened);
    std::vector<std::byte> plain;
    if (record.compression == blob_encoding::zstd_delta) {
        if (!bases) throw corrupt("it is stored as a delta, so it cannot be the base of another delta");
        const auto layout = parse_delta(encoded);
        if (!layout) throw corrupt("its list of delta bases is malformed");
        // All bases are read before prefix_ is filled: a reader may decode them with this
        // same codec (bases are never deltas, so that does not touch prefix_).
        std::vector<std::vector<std::byte>> parts;
        std::size_t total = 0;
        for (const object_id& base : layout->bases) {
            parts.push_back(bases(base));
            total += parts.back().size();
            if (total > max_delta_base_bytes) throw corrupt("its delta bases exceed " + std::to_string(max_delta_base_bytes) + " bytes");
        }
        prefix_.clear();
        for (const auto& part : parts) prefix_.insert(prefix_.end(), part.begin(), part.end());
        plain.resize(record.plain_length);
        try {
            plain.resize(decompressor_.decompress_into(plain, layout->frame, prefix_));
        } catch (const compression_error& e) {
            throw corrupt(std::string("cannot decompress: ") + e.what());
        }
    } else if (record.compression == blob_encoding::zstd) {
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
