// seal/open for every object that is sealed (pack headers, indexes, snapshots, proofs), with
// associated data naming the object's type so one kind cannot pass for another.
//
// Encrypted repositories: nonce || AES-256-GCM ciphertext || tag. Unencrypted ones:
// plaintext || SHA-256(aad length || aad || plaintext), which detects damage but not forgery
// (there is no key to forge against).
//
// Not thread-safe (it holds cipher contexts): one per thread.
#pragma once

#include "repository/crypto.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace holdfast::repository {

// Associated data of each sealed object type (docs/repository-format.md, "Sealing").
namespace aad {
inline constexpr std::string_view pack_header = "holdfast pack header v1";
inline constexpr std::string_view index = "holdfast index v1";
inline constexpr std::string_view snapshot = "holdfast snapshot v1";
// Followed by " <snapshot id hex>": a proof moved under another snapshot fails to open.
inline constexpr std::string_view proof = "holdfast proof v1";
}  // namespace aad

inline std::span<const std::byte> as_bytes(std::string_view text) noexcept {
    return std::as_bytes(std::span(text.data(), text.size()));
}

class sealer {
public:
    // nullptr: an unencrypted repository.
    explicit sealer(const key256* key);

    bool encrypted() const noexcept { return aead_.has_value(); }
    std::size_t overhead() const noexcept;

    std::vector<std::byte> seal(std::span<const std::byte> plaintext, std::span<const std::byte> aad);
    std::vector<std::byte> seal(std::span<const std::byte> plaintext, std::string_view aad) {
        return seal(plaintext, as_bytes(aad));
    }

    // Throws authentication_error (from crypto.hpp) when the bytes do not open; callers add
    // the object's name.
    std::vector<std::byte> open(std::span<const std::byte> sealed, std::span<const std::byte> aad);
    std::vector<std::byte> open(std::span<const std::byte> sealed, std::string_view aad) {
        return open(sealed, as_bytes(aad));
    }

    // The AEAD itself, for blobs (nullptr when unencrypted).
    aes256gcm* aead() noexcept { return aead_ ? &*aead_ : nullptr; }

private:
    std::optional<aes256gcm> aead_;
};

}  // namespace holdfast::repository
