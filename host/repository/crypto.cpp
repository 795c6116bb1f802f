#include "repository/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <bit>
#include <limits>

namespace holdfast::repository {

namespace {

// OpenSSL takes some lengths as int; larger inputs are passed in pieces of this size.
constexpr std::size_t max_piece = std::size_t{1} << 30;

// Drains OpenSSL's error queue into the message, so the cause is not lost or left behind
// to confuse a later call.
[[noreturn]] void fail(std::string message) {
    const char* separator = ": ";
    while (const unsigned long code = ERR_get_error()) {
        std::array<char, 256> text{};
        ERR_error_string_n(code, text.data(), text.size());
        message += separator;
        message += text.data();
        separator = "; ";
    }
    throw crypto_error(message);
}

void check(int result, const char* what) {
    if (result <= 0) fail(what);
}

template <typename T>
openssl_ptr<T> checked(T* object, const char* what) {
    if (object == nullptr) fail(what);
    return openssl_ptr<T>(object);
}

// Named apart rather than overloaded: a std::array converts to both kinds of span.
const unsigned char* in_u8(std::span<const std::byte> bytes) noexcept {
    return reinterpret_cast<const unsigned char*>(bytes.data());
}

unsigned char* out_u8(std::span<std::byte> bytes) noexcept {
    return reinterpret_cast<unsigned char*>(bytes.data());
}

// Feeds `in` to a cipher context; `out` is null for associated data. Returns bytes written.
std::size_t cipher_update(EVP_CIPHER_CTX* ctx, unsigned char* out, std::span<const std::byte> in,
                          const char* what) {
    std::size_t total = 0;
    while (!in.empty()) {
        const std::size_t piece = std::min(in.size(), max_piece);
        int written = 0;
        check(EVP_CipherUpdate(ctx, out == nullptr ? nullptr : out + total, &written, in_u8(in),
                               static_cast<int>(piece)),
              what);
        total += static_cast<std::size_t>(written);
        in = in.subspan(piece);
    }
    return total;
}

openssl_ptr<EVP_CIPHER_CTX> keyed_gcm_context(const key256& key, bool encrypt) {
    const auto cipher =
        checked(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr), "fetching AES-256-GCM");
    auto ctx = checked(EVP_CIPHER_CTX_new(), "allocating a cipher context");
    // The key schedule is computed here once; each message then only sets a nonce.
    check(EVP_CipherInit_ex2(ctx.get(), cipher.get(), in_u8(key.bytes()), nullptr, encrypt ? 1 : 0,
                             nullptr),
          "setting the AES-256-GCM key");
    return ctx;
}

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

void openssl_free::operator()(EVP_MD* p) const noexcept { EVP_MD_free(p); }
void openssl_free::operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
void openssl_free::operator()(EVP_MAC* p) const noexcept { EVP_MAC_free(p); }
void openssl_free::operator()(EVP_MAC_CTX* p) const noexcept { EVP_MAC_CTX_free(p); }
void openssl_free::operator()(EVP_CIPHER* p) const noexcept { EVP_CIPHER_free(p); }
void openssl_free::operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
void openssl_free::operator()(EVP_KDF* p) const noexcept { EVP_KDF_free(p); }
void openssl_free::operator()(EVP_KDF_CTX* p) const noexcept { EVP_KDF_CTX_free(p); }

void cleanse(std::span<std::byte> bytes) noexcept {
    if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

void random_bytes(std::span<std::byte> out) {
    while (!out.empty()) {
        const std::size_t piece = std::min(out.size(), max_piece);
        check(RAND_bytes(out_u8(out), static_cast<int>(piece)), "generating random bytes");
        out = out.subspan(piece);
    }
}

std::vector<std::byte> random_bytes(std::size_t count) {
    std::vector<std::byte> bytes(count);
    random_bytes(bytes);
    return bytes;
}

bool constant_time_equal(std::span<const std::byte> a, std::span<const std::byte> b) noexcept {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string to_hex(std::span<const std::byte> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (const std::byte b : bytes) {
        const auto value = std::to_integer<unsigned>(b);
        hex += digits[value >> 4];
        hex += digits[value & 0xf];
    }
    return hex;
}

std::vector<std::byte> from_hex(std::string_view hex) {
    const auto nibble = [&](char c) -> unsigned {
        if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
        throw std::invalid_argument("not a hex string: \"" + std::string(hex) + "\"");
    };
    if (hex.size() % 2 != 0)
        throw std::invalid_argument("hex string of odd length: \"" + std::string(hex) + "\"");
    std::vector<std::byte> bytes(hex.size() / 2);
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<std::byte>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return bytes;
}

// ---- SHA-256 ----

sha256::sha256()
    : md_(checked(EVP_MD_fetch(nullptr, "SHA256", nullptr), "fetching SHA-256")),
      ctx_(checked(EVP_MD_CTX_new(), "allocating a digest context")) {
    check(EVP_DigestInit_ex2(ctx_.get(), md_.get(), nullptr), "starting SHA-256");
}

sha256::sha256(const sha256& other)
    : ctx_(checked(EVP_MD_CTX_new(), "allocating a digest context")) {
    check(EVP_MD_up_ref(other.md_.get()), "sharing SHA-256");
    md_.reset(other.md_.get());
    check(EVP_MD_CTX_copy_ex(ctx_.get(), other.ctx_.get()), "copying a SHA-256 state");
}

sha256& sha256::operator=(const sha256& other) {
    if (this != &other) *this = sha256(other);
    return *this;
}

void sha256::update(std::span<const std::byte> data) {
    check(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()), "hashing with SHA-256");
}

digest256 sha256::finish() {
    digest256 digest{};
    unsigned int length = 0;
    check(EVP_DigestFinal_ex(ctx_.get(), out_u8(digest), &length), "finishing SHA-256");
    check(EVP_DigestInit_ex2(ctx_.get(), md_.get(), nullptr), "restarting SHA-256");
    return digest;
}

digest256 sha256::hash(std::span<const std::byte> data) {
    sha256 hasher;
    hasher.update(data);
    return hasher.finish();
}

// ---- HMAC-SHA256 ----

hmac_sha256::hmac_sha256(std::span<const std::byte> key) {
    if (key.empty()) throw std::invalid_argument("hmac_sha256: empty key");
    const auto mac = checked(EVP_MAC_fetch(nullptr, "HMAC", nullptr), "fetching HMAC");
    ctx_ = checked(EVP_MAC_CTX_new(mac.get()), "allocating an HMAC context");
    char digest_name[] = "SHA256";  // OSSL_PARAM wants a mutable pointer; it is only read
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    check(EVP_MAC_init(ctx_.get(), in_u8(key), key.size(), params), "setting the HMAC key");
    started_ = true;
}

hmac_sha256::hmac_sha256(const hmac_sha256& other)
    : ctx_(checked(EVP_MAC_CTX_dup(other.ctx_.get()), "copying an HMAC context")),
      started_(other.started_) {}

hmac_sha256& hmac_sha256::operator=(const hmac_sha256& other) {
    if (this != &other) *this = hmac_sha256(other);
    return *this;
}

// A null key tells OpenSSL to reuse the one already set: it restores the precomputed pad
// state instead of hashing the key again.
void hmac_sha256::restart() {
    check(EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr), "restarting HMAC");
    started_ = true;
}

void hmac_sha256::update(std::span<const std::byte> data) {
    if (!started_) restart();
    check(EVP_MAC_update(ctx_.get(), in_u8(data), data.size()), "hashing with HMAC");
}

digest256 hmac_sha256::finish() {
    if (!started_) restart();
    digest256 digest{};
    std::size_t length = 0;
    started_ = false;
    check(EVP_MAC_final(ctx_.get(), out_u8(digest), &length, digest.size()), "finishing HMAC");
    return digest;
}

digest256 hmac_sha256::mac(std::span<const std::byte> data) {
    update(data);
    return finish();
}

// ---- AES-256-GCM ----

aes256gcm::aes256gcm(const key256& key)
    : key_(key), encrypt_(keyed_gcm_context(key, true)), decrypt_(keyed_gcm_context(key, false)) {}

aes256gcm::aes256gcm(const aes256gcm& other) : aes256gcm(other.key_) {}

aes256gcm& aes256gcm::operator=(const aes256gcm& other) {
    if (this != &other) *this = aes256gcm(other);
    return *this;
}

std::vector<std::byte> aes256gcm::seal(std::span<const std::byte> plaintext,
                                       std::span<const std::byte> aad) {
    std::vector<std::byte> sealed(sealed_size(plaintext.size()));
    seal_into(sealed, plaintext, aad);
    return sealed;
}

std::size_t aes256gcm::seal_into(std::span<std::byte> out, std::span<const std::byte> plaintext,
                                 std::span<const std::byte> aad) {
    const std::size_t total = sealed_size(plaintext.size());
    if (out.size() < total)
        throw std::invalid_argument("aes256gcm::seal_into: output buffer of " +
                                    std::to_string(out.size()) + " bytes, " +
                                    std::to_string(total) + " needed");
    const auto nonce = out.first(nonce_size);
    const auto body = out.subspan(nonce_size, plaintext.size());
    const auto tag = out.subspan(nonce_size + plaintext.size(), tag_size);

    random_bytes(nonce);
    EVP_CIPHER_CTX* ctx = encrypt_.get();
    check(EVP_EncryptInit_ex2(ctx, nullptr, nullptr, out_u8(nonce), nullptr),
          "starting AES-256-GCM encryption");
    cipher_update(ctx, nullptr, aad, "authenticating associated data");
    const std::size_t written = cipher_update(ctx, out_u8(body), plaintext, "encrypting");
    int final_length = 0;
    check(EVP_EncryptFinal_ex(ctx, out_u8(body) + written, &final_length), "finishing encryption");
    check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag_size), out_u8(tag)),
          "reading the GCM tag");
    return total;
}

std::vector<std::byte> aes256gcm::open(std::span<const std::byte> sealed,
                                       std::span<const std::byte> aad) {
    std::vector<std::byte> plain(sealed.size() >= overhead ? sealed.size() - overhead : 0);
    open_into(plain, sealed, aad);
    return plain;
}

std::size_t aes256gcm::open_into(std::span<std::byte> out, std::span<const std::byte> sealed,
                                 std::span<const std::byte> aad) {
    if (sealed.size() < overhead)
        throw authentication_error("sealed data of " + std::to_string(sealed.size()) +
                                   " bytes is shorter than its nonce and tag (28 bytes)");
    const std::size_t size = sealed.size() - overhead;
    if (out.size() < size)
        throw std::invalid_argument("aes256gcm::open_into: output buffer of " +
                                    std::to_string(out.size()) + " bytes, " + std::to_string(size) +
                                    " needed");
    const auto nonce = sealed.first(nonce_size);
    const auto body = sealed.subspan(nonce_size, size);
    std::array<std::byte, tag_size> tag{};  // the ctrl call takes a mutable pointer
    std::copy_n(sealed.end() - tag_size, tag_size, tag.begin());
    const auto plain = out.first(size);

    EVP_CIPHER_CTX* ctx = decrypt_.get();
    bool authentic = false;
    try {
        check(EVP_DecryptInit_ex2(ctx, nullptr, nullptr, in_u8(nonce), nullptr),
              "starting AES-256-GCM decryption");
        cipher_update(ctx, nullptr, aad, "authenticating associated data");
        const std::size_t written = cipher_update(ctx, out_u8(plain), body, "decrypting");
        check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_size),
                                  out_u8(tag)),
              "setting the GCM tag");
        int final_length = 0;
        authentic = EVP_DecryptFinal_ex(ctx, out_u8(plain) + written, &final_length) > 0;
    } catch (...) {
        cleanse(plain);
        throw;
    }
    if (!authentic) {
        cleanse(plain);
        ERR_clear_error();
        throw authentication_error(
            "AES-256-GCM authentication failed: wrong key or associated data, or the sealed "
            "bytes were altered");
    }
    return size;
}

// ---- scrypt ----

std::uint64_t scrypt_params::memory_bytes() const {
    const auto describe = [&] {
        return "N=" + std::to_string(n) + ", r=" + std::to_string(r) + ", p=" + std::to_string(p);
    };
    if (n < 2 || !std::has_single_bit(n) || r == 0 || p == 0)
        throw crypto_error("scrypt parameters " + describe() +
                           ": N must be a power of two >= 2, r and p at least 1");
    // OpenSSL allocates B (128 * r * p bytes) and V (128 * r * (N + 2) bytes).
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t unit = std::uint64_t{128} * r;
    if (n + 2 > max / unit || p > max / unit || unit * p > max - unit * (n + 2))
        throw crypto_error("scrypt parameters " + describe() + " need more memory than exists");
    return unit * p + unit * (n + 2);
}

void scrypt(std::string_view password, std::span<const std::byte> salt, const scrypt_params& params,
            std::span<std::byte> out, std::uint64_t max_memory) {
    if (out.empty()) throw std::invalid_argument("scrypt: empty output");
    const std::uint64_t memory = params.memory_bytes();
    if (memory > max_memory)
        throw crypto_error("scrypt parameters N=" + std::to_string(params.n) +
                           ", r=" + std::to_string(params.r) + ", p=" + std::to_string(params.p) +
                           " need " + mib(memory) + ", more than the limit of " + mib(max_memory));

    const auto kdf = checked(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr), "fetching scrypt");
    const auto ctx = checked(EVP_KDF_CTX_new(kdf.get()), "allocating a KDF context");
    // OSSL_PARAM wants mutable pointers although it only reads them; empty inputs get a
    // valid pointer because OpenSSL treats a null one as "not given".
    static char empty[1] = {};
    std::uint64_t n = params.n;
    std::uint32_t r = params.r;
    std::uint32_t p = params.p;
    // OpenSSL's default cap is 32 MiB, which N=2^15, r=8 already exceeds; the limit that
    // matters was checked above, so allow exactly what these parameters need.
    std::uint64_t maxmem = memory;
    const OSSL_PARAM list[] = {
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_PASSWORD, password.empty() ? empty : const_cast<char*>(password.data()),
            password.size()),
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_SALT,
            salt.empty() ? static_cast<void*>(empty) : const_cast<std::byte*>(salt.data()),
            salt.size()),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end()};
    check(EVP_KDF_derive(ctx.get(), out_u8(out), out.size(), list), "deriving a key with scrypt");
}

key256 scrypt_key(std::string_view password, std::span<const std::byte> salt,
                  const scrypt_params& params, std::uint64_t max_memory) {
    key256 key;
    scrypt(password, salt, params, key.writable_bytes(), max_memory);
    return key;
}

}  // namespace holdfast::repository
