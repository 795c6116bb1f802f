// The repository's cryptographic primitives, all on OpenSSL 3 EVP: random bytes, SHA-256,
// HMAC-SHA256 (blob ids), AES-256-GCM (blob sealing), scrypt (password -> key-slot key) and
// constant-time comparison. Nothing here implements cryptography itself.
//
// Objects holding an OpenSSL context are not thread-safe; copy one per worker thread
// (copies are cheap: the key schedule is duplicated, not recomputed).
#pragma once

#include <openssl/types.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::repository {

// An OpenSSL call failed; the message ends with OpenSSL's own error string.
class crypto_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Sealed data did not authenticate: wrong key, wrong associated data, or the bytes were
// altered. Distinct from crypto_error so callers can report corruption as such.
class authentication_error : public crypto_error {
public:
    using crypto_error::crypto_error;
};

using digest256 = std::array<std::byte, 32>;

// Overwrites memory in a way the optimizer cannot drop (OPENSSL_cleanse).
void cleanse(std::span<std::byte> bytes) noexcept;

// Fixed-size key material that is wiped when it goes away (copies included).
template <std::size_t N>
class secret {
public:
    secret() noexcept = default;
    explicit secret(std::span<const std::byte, N> bytes) noexcept;
    secret(const secret&) noexcept = default;
    secret& operator=(const secret&) noexcept = default;
    ~secret() { cleanse(bytes_); }

    static secret random();

    std::span<const std::byte, N> bytes() const noexcept { return bytes_; }
    std::span<std::byte, N> writable_bytes() noexcept { return bytes_; }

private:
    std::array<std::byte, N> bytes_{};
};

using key256 = secret<32>;

// Cryptographically secure random bytes (RAND_bytes); throws crypto_error if the generator
// cannot be seeded.
void random_bytes(std::span<std::byte> out);
std::vector<std::byte> random_bytes(std::size_t count);

// Compares in time that depends only on the lengths, for tags and key checks.
bool constant_time_equal(std::span<const std::byte> a, std::span<const std::byte> b) noexcept;

// Lower-case hex, as ids are written in the repository.
std::string to_hex(std::span<const std::byte> bytes);
// Throws std::invalid_argument on odd length or a non-hex character.
std::vector<std::byte> from_hex(std::string_view hex);

// Frees any OpenSSL object; one overload per type, so unique_ptr<T, openssl_free> is RAII
// for all of them.
struct openssl_free {
    void operator()(EVP_MD* p) const noexcept;
    void operator()(EVP_MD_CTX* p) const noexcept;
    void operator()(EVP_MAC* p) const noexcept;
    void operator()(EVP_MAC_CTX* p) const noexcept;
    void operator()(EVP_CIPHER* p) const noexcept;
    void operator()(EVP_CIPHER_CTX* p) const noexcept;
    void operator()(EVP_KDF* p) const noexcept;
    void operator()(EVP_KDF_CTX* p) const noexcept;
};

template <typename T>
using openssl_ptr = std::unique_ptr<T, openssl_free>;

// SHA-256, incremental, for whole-stream hashes.
class sha256 {
public:
    sha256();
    sha256(const sha256& other);  // continues from the same state: hash a prefix once
    sha256& operator=(const sha256& other);
    sha256(sha256&&) noexcept = default;
    sha256& operator=(sha256&&) noexcept = default;
    ~sha256() = default;

    void update(std::span<const std::byte> data);
    // Returns the digest and starts over.
    digest256 finish();

    static digest256 hash(std::span<const std::byte> data);

private:
    openssl_ptr<EVP_MD> md_;
    openssl_ptr<EVP_MD_CTX> ctx_;
};

// HMAC-SHA256 under one key. The key is set once: each message restarts from the stored
// inner/outer pad state, which is what makes hashing millions of blobs cheap.
class hmac_sha256 {
public:
    explicit hmac_sha256(std::span<const std::byte> key);
    hmac_sha256(const hmac_sha256& other);  // same key, independent state (one per thread)
    hmac_sha256& operator=(const hmac_sha256& other);
    hmac_sha256(hmac_sha256&&) noexcept = default;
    hmac_sha256& operator=(hmac_sha256&&) noexcept = default;
    ~hmac_sha256() = default;

    // One message.
    digest256 mac(std::span<const std::byte> data);

    // A message given in pieces: update() any number of times, then finish().
    void update(std::span<const std::byte> data);
    digest256 finish();

private:
    void restart();

    openssl_ptr<EVP_MAC_CTX> ctx_;
    bool started_ = false;
};

// AES-256-GCM with a fresh random 96-bit nonce per message. Sealed layout:
//   nonce (12) || ciphertext (same length as the plaintext) || tag (16).
// Random nonces are safe up to about 2^32 messages per key (NIST SP 800-38D, 8.3).
class aes256gcm {
public:
    static constexpr std::size_t nonce_size = 12;
    static constexpr std::size_t tag_size = 16;
    static constexpr std::size_t overhead = nonce_size + tag_size;

    explicit aes256gcm(const key256& key);
    aes256gcm(const aes256gcm& other);
    aes256gcm& operator=(const aes256gcm& other);
    aes256gcm(aes256gcm&&) noexcept = default;
    aes256gcm& operator=(aes256gcm&&) noexcept = default;
    ~aes256gcm() = default;

    static constexpr std::size_t sealed_size(std::size_t plaintext_size) noexcept {
        return plaintext_size + overhead;
    }

    // `aad` is authenticated but not stored: the opener must present the same bytes.
    std::vector<std::byte> seal(std::span<const std::byte> plaintext,
                                std::span<const std::byte> aad = {});
    // Writes sealed_size(plaintext.size()) bytes to the front of `out`, which must not
    // overlap `plaintext`, and returns that size. For pipelines that reuse buffers.
    std::size_t seal_into(std::span<std::byte> out, std::span<const std::byte> plaintext,
                          std::span<const std::byte> aad = {});

    // Throws authentication_error if anything (nonce, ciphertext, tag, aad, key) differs.
    std::vector<std::byte> open(std::span<const std::byte> sealed,
                                std::span<const std::byte> aad = {});
    // Writes sealed.size() - overhead bytes to the front of `out` and returns that size. On
    // failure `out` is wiped: unauthenticated plaintext is never left behind.
    std::size_t open_into(std::span<std::byte> out, std::span<const std::byte> sealed,
                          std::span<const std::byte> aad = {});

private:
    key256 key_;  // kept only so copies can set up their own contexts
    openssl_ptr<EVP_CIPHER_CTX> encrypt_;
    openssl_ptr<EVP_CIPHER_CTX> decrypt_;
};

// scrypt (RFC 7914). N must be a power of two >= 2; memory used is about 128 * r * (N + p)
// bytes (32 MiB for N=2^15, r=8).
struct scrypt_params {
    std::uint64_t n = std::uint64_t{1} << 15;
    std::uint32_t r = 8;
    std::uint32_t p = 1;

    // The bytes OpenSSL allocates for these parameters; throws crypto_error if they are
    // malformed or the figure overflows.
    std::uint64_t memory_bytes() const;
};

// Parameters come from key slots in storage, so they are untrusted: a slot asking for more
// memory than this is refused before anything is allocated.
inline constexpr std::uint64_t scrypt_default_max_memory = std::uint64_t{1} << 30;

// Fills `out` with the derived key; throws crypto_error on bad parameters.
void scrypt(std::string_view password, std::span<const std::byte> salt, const scrypt_params& params,
            std::span<std::byte> out, std::uint64_t max_memory = scrypt_default_max_memory);

key256 scrypt_key(std::string_view password, std::span<const std::byte> salt,
                  const scrypt_params& params,
                  std::uint64_t max_memory = scrypt_default_max_memory);

template <std::size_t N>
secret<N>::secret(std::span<const std::byte, N> bytes) noexcept {
    std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

template <std::size_t N>
secret<N> secret<N>::random() {
    secret s;
    random_bytes(s.bytes_);
    return s;
}

}  // namespace holdfast::repository
