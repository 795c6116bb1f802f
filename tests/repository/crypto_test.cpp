#include "repository/crypto.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace holdfast::repository {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

std::vector<std::byte> repeated(std::uint8_t value, std::size_t count) {
    return std::vector<std::byte>(count, std::byte{value});
}

std::string hex_of(const digest256& digest) { return to_hex(digest); }

key256 key_from_hex(std::string_view hex) {
    const auto bytes = from_hex(hex);
    return key256(std::span<const std::byte, 32>(bytes.data(), 32));
}

// ---- helpers ----

TEST(Crypto, HexRoundTrip) {
    const auto bytes = from_hex("00ff10aB");
    EXPECT_EQ(bytes,
              (std::vector{std::byte{0}, std::byte{0xff}, std::byte{0x10}, std::byte{0xab}}));
    EXPECT_EQ(to_hex(bytes), "00ff10ab");
    EXPECT_THROW(from_hex("abc"), std::invalid_argument);
    EXPECT_THROW(from_hex("zz"), std::invalid_argument);
}

TEST(Crypto, ConstantTimeEqual) {
    const auto a = from_hex("0102030405");
    auto b = a;
    EXPECT_TRUE(constant_time_equal(a, b));
    b[4] = std::byte{6};
    EXPECT_FALSE(constant_time_equal(a, b));
    EXPECT_FALSE(constant_time_equal(a, std::span(a).first(4)));
    EXPECT_TRUE(constant_time_equal({}, {}));
}

TEST(Crypto, RandomBytesDiffer) {
    const auto a = random_bytes(32);
    const auto b = random_bytes(32);
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, b);
    const auto k1 = key256::random();
    const auto k2 = key256::random();
    EXPECT_FALSE(constant_time_equal(k1.bytes(), k2.bytes()));
}

// ---- SHA-256 (FIPS 180-2 examples) ----

TEST(Sha256, KnownAnswers) {
    EXPECT_EQ(hex_of(sha256::hash(bytes_of("abc"))),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex_of(sha256::hash({})),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(
        hex_of(sha256::hash(bytes_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalMatchesOneShotAndRestarts) {
    const auto data = random_bytes(100000);
    sha256 hasher;
    for (std::size_t offset = 0; offset < data.size(); offset += 777)
        hasher.update(
            std::span(data).subspan(offset, std::min<std::size_t>(777, data.size() - offset)));
    EXPECT_EQ(hasher.finish(), sha256::hash(data));
    hasher.update(bytes_of("abc"));  // finish() started over
    EXPECT_EQ(hex_of(hasher.finish()),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, ACopyContinuesFromTheSameState) {
    sha256 prefix;
    prefix.update(bytes_of("ab"));
    sha256 copy = prefix;
    copy.update(bytes_of("c"));
    prefix.update(bytes_of("x"));
    EXPECT_EQ(copy.finish(), sha256::hash(bytes_of("abc")));
    EXPECT_EQ(prefix.finish(), sha256::hash(bytes_of("abx")));
}

// ---- HMAC-SHA256 (RFC 4231; case 5 is a truncated output, not used here) ----

struct hmac_case {
    std::vector<std::byte> key;
    std::vector<std::byte> data;
    std::string_view mac;
};

std::vector<hmac_case> rfc4231() {
    const auto text = [](std::string_view s) {
        return std::vector<std::byte>(bytes_of(s).begin(), bytes_of(s).end());
    };
    return {
        {repeated(0x0b, 20), text("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {text("Jefe"), text("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {repeated(0xaa, 20), repeated(0xdd, 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {from_hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeated(0xcd, 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {repeated(0xaa, 131), text("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {repeated(0xaa, 131),
         text("This is a test using a larger than block-size key and a larger than block-size "
              "data. The key needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
}

TEST(HmacSha256, Rfc4231Vectors) {
    for (const auto& c : rfc4231()) {
        hmac_sha256 mac(c.key);
        EXPECT_EQ(hex_of(mac.mac(c.data)), c.mac);
        EXPECT_EQ(hex_of(mac.mac(c.data)), c.mac) << "second message under the same context";
    }
}

TEST(HmacSha256, ReusedContextIncrementalAndCopies) {
    const auto key = random_bytes(32);
    const auto a = random_bytes(5000);
    const auto b = random_bytes(7000);
    hmac_sha256 mac(key);
    const digest256 mac_a = hmac_sha256(key).mac(a);
    const digest256 mac_b = hmac_sha256(key).mac(b);
    EXPECT_EQ(mac.mac(a), mac_a);
    EXPECT_EQ(mac.mac(b), mac_b);
    EXPECT_EQ(mac.mac(a), mac_a);

    mac.update(std::span(a).first(1000));
    hmac_sha256 copy = mac;  // mid-message: the copy carries the state on
    mac.update(std::span(a).subspan(1000));
    EXPECT_EQ(mac.finish(), mac_a);
    copy.update(std::span(a).subspan(1000));
    EXPECT_EQ(copy.finish(), mac_a);
    EXPECT_EQ(copy.mac(b), mac_b);

    EXPECT_NE(hmac_sha256(random_bytes(32)).mac(a), mac_a);
    EXPECT_THROW(hmac_sha256(std::span<const std::byte>{}), std::invalid_argument);
}

// ---- AES-256-GCM ----

// McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13, 14 and 16 (the
// AES-256 ones with a 96-bit IV), checked through open(): the sealed layout is
// nonce || ciphertext || tag.
TEST(Aes256Gcm, GcmSpecVectors) {
    const struct {
        std::string_view key, nonce, plain, aad, cipher, tag;
    } cases[] = {
        {"0000000000000000000000000000000000000000000000000000000000000000",
         "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
        {"0000000000000000000000000000000000000000000000000000000000000000",
         "000000000000000000000000", "00000000000000000000000000000000", "",
         "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
        {"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
         "cafebabefacedbaddecaf888",
         "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
         "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
         "feedfacedeadbeeffeedfacedeadbeefabaddad2",
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
         "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
         "76fc6ece0f4e1768cddf8853bb2d551b"},
    };
    for (const auto& c : cases) {
        aes256gcm aead(key_from_hex(c.key));
        const auto sealed =
            from_hex(std::string(c.nonce) + std::string(c.cipher) + std::string(c.tag));
        EXPECT_EQ(to_hex(aead.open(sealed, from_hex(c.aad))), c.plain);
    }
}

TEST(Aes256Gcm, RoundTripsAnySize) {
    aes256gcm aead(key256::random());
    const auto aad = random_bytes(20);
    for (const std::size_t size : {0u, 1u, 15u, 16u, 17u, 4096u, 1000003u}) {
        const auto plain = random_bytes(size);
        const auto sealed = aead.seal(plain, aad);
        ASSERT_EQ(sealed.size(), size + aes256gcm::overhead);
        EXPECT_EQ(aead.open(sealed, aad), plain) << size << " bytes";
        EXPECT_EQ(aead.open(aead.seal(plain), {}), plain) << size << " bytes, no aad";
    }
}

TEST(Aes256Gcm, EveryMessageGetsAFreshNonce) {
    aes256gcm aead(key256::random());
    const auto plain = random_bytes(64);
    const auto a = aead.seal(plain);
    const auto b = aead.seal(plain);
    EXPECT_FALSE(std::equal(a.begin(), a.begin() + 12, b.begin()));
    EXPECT_NE(a, b);
}

TEST(Aes256Gcm, AnyFlippedBitIsCaught) {
    aes256gcm aead(key256::random());
    const auto plain = random_bytes(40);
    const auto aad = bytes_of("blob 7");
    const auto sealed = aead.seal(plain, aad);
    for (std::size_t bit = 0; bit < sealed.size() * 8; ++bit) {
        auto tampered = sealed;
        tampered[bit / 8] ^= std::byte{1} << (bit % 8);
        EXPECT_THROW(aead.open(tampered, aad), authentication_error) << "bit " << bit;
    }
    EXPECT_EQ(aead.open(sealed, aad), plain);  // and the context still works
}

TEST(Aes256Gcm, WrongKeyAadOrLengthIsCaught) {
    const auto key = key256::random();
    aes256gcm aead(key);
    const auto plain = random_bytes(100);
    const auto sealed = aead.seal(plain, bytes_of("index"));
    EXPECT_THROW(aes256gcm(key256::random()).open(sealed, bytes_of("index")), authentication_error);
    EXPECT_THROW(aead.open(sealed, bytes_of("indey")), authentication_error);
    EXPECT_THROW(aead.open(sealed), authentication_error);
    EXPECT_THROW(aead.open(std::span(sealed).first(sealed.size() - 1), bytes_of("index")),
                 authentication_error);
    EXPECT_THROW(aead.open(std::span(sealed).first(27), bytes_of("index")), authentication_error);
    EXPECT_THROW(aead.open({}), authentication_error);
    aes256gcm copy = aead;  // a copy holds the same key
    EXPECT_EQ(copy.open(sealed, bytes_of("index")), plain);
}

TEST(Aes256Gcm, FailedOpenLeavesNoPlaintextBehind) {
    aes256gcm aead(key256::random());
    const auto plain = repeated(0x5a, 64);
    auto sealed = aead.seal(plain);
    sealed.back() ^= std::byte{1};  // only the tag: decryption itself produced the plaintext
    std::vector<std::byte> out(64);
    EXPECT_THROW(aead.open_into(out, sealed), authentication_error);
    EXPECT_EQ(std::count(out.begin(), out.end(), std::byte{0x5a}), 0);
}

TEST(Aes256Gcm, BuffersTooSmallAreRefused) {
    aes256gcm aead(key256::random());
    const auto plain = random_bytes(10);
    std::vector<std::byte> out(10 + aes256gcm::overhead - 1);
    EXPECT_THROW(aead.seal_into(out, plain), std::invalid_argument);
    out.resize(out.size() + 1);
    EXPECT_EQ(aead.seal_into(out, plain), out.size());
    std::vector<std::byte> small(9);
    EXPECT_THROW(aead.open_into(small, out), std::invalid_argument);
}

// ---- scrypt (RFC 7914, section 12) ----

TEST(Scrypt, Rfc7914Vectors) {
    std::vector<std::byte> out(64);
    scrypt("", {}, {.n = 16, .r = 1, .p = 1}, out);
    EXPECT_EQ(to_hex(out),
              "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
              "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    scrypt("password", bytes_of("NaCl"), {.n = 1024, .r = 8, .p = 16}, out);
    EXPECT_EQ(to_hex(out),
              "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
              "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

// N=2^15, r=8 needs just over OpenSSL's default 32 MiB cap; expected value from Python's
// hashlib.scrypt.
TEST(Scrypt, KeySlotStrengthParametersWork) {
    const scrypt_params params{.n = std::uint64_t{1} << 15, .r = 8, .p = 1};
    EXPECT_EQ(params.memory_bytes(), 128u * 8 * 1 + 128u * 8 * ((1u << 15) + 2));
    const auto key = scrypt_key("holdfast", bytes_of("0123456789abcdef"), params);
    EXPECT_EQ(to_hex(key.bytes()),
              "826c9b0cdf52f537d5fac51f580e92247b82da725e38b0127a33a641cff08998");
}

TEST(Scrypt, HostileOrMalformedParametersAreRefused) {
    std::vector<std::byte> out(32);
    const auto salt = bytes_of("salt");
    // 2^22 * 8 * 128 = 4 GiB: refused before any allocation.
    EXPECT_THROW(scrypt("pw", salt, {.n = std::uint64_t{1} << 22, .r = 8, .p = 1}, out),
                 crypto_error);
    EXPECT_THROW(scrypt("pw", salt, {.n = std::uint64_t{1} << 15, .r = 8, .p = 1}, out, 16u << 20),
                 crypto_error);
    EXPECT_THROW(scrypt("pw", salt, {.n = 1000, .r = 8, .p = 1}, out), crypto_error);
    EXPECT_THROW(scrypt("pw", salt, {.n = 1024, .r = 0, .p = 1}, out), crypto_error);
    EXPECT_THROW(scrypt("pw", salt, {.n = 1024, .r = 8, .p = 0}, out), crypto_error);
    EXPECT_THROW(scrypt("pw", salt, {.n = std::uint64_t{1} << 62, .r = 1u << 30, .p = 1}, out),
                 crypto_error);
    // Within our memory limit but beyond what scrypt allows (N < 2^(16 r)): OpenSSL refuses.
    try {
        scrypt("pw", salt, {.n = std::uint64_t{1} << 17, .r = 1, .p = 1}, out);
        ADD_FAILURE() << "accepted N >= 2^(16 r)";
    } catch (const crypto_error& e) {
        EXPECT_NE(std::string(e.what()).find("deriving a key with scrypt"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace holdfast::repository
