#include "repository/compression.hpp"

#include "sample_data.hpp"

#include <gtest/gtest.h>

namespace holdfast::repository {
namespace {

constexpr std::size_t MiB = 1024 * 1024;

// "hello" as the zstd command line writes it from a pipe: it cannot know the size up front,
// so the frame header does not record it.
constexpr std::array<std::byte, 14> frame_without_size{
    std::byte{0x28}, std::byte{0xb5}, std::byte{0x2f}, std::byte{0xfd}, std::byte{0x00},
    std::byte{0x58}, std::byte{0x29}, std::byte{0x00}, std::byte{0x00}, std::byte{'h'},
    std::byte{'e'},  std::byte{'l'},  std::byte{'l'},  std::byte{'o'}};

TEST(Zstd, RoundTripsAtEveryLevel) {
    const auto all_text = test_data::text_stream(MiB, 1);
    zstd_decompressor decompressor;
    for (const int level : {-5, 1, 3, 9, 19}) {
        zstd_compressor compressor(level);
        // Level 19 runs at a few MB/s: a smaller input keeps the test quick.
        const auto text =
            level < 19 ? all_text : std::vector(all_text.begin(), all_text.begin() + 100000);
        const auto frame = compressor.compress(text);
        EXPECT_LT(frame.size(), text.size() / 2) << "level " << level;
        EXPECT_EQ(zstd_decompressor::content_size(frame), text.size());
        EXPECT_EQ(decompressor.decompress(frame, text.size()), text) << "level " << level;
        // The same context, again: state from the last call must not leak into the next.
        EXPECT_EQ(compressor.compress(text), frame);
    }
    zstd_compressor compressor;
    const auto empty = compressor.compress({});
    EXPECT_TRUE(decompressor.decompress(empty, 0).empty());
    EXPECT_THROW(zstd_compressor(100), std::invalid_argument);
}

TEST(Zstd, CompressIntoReportsWhenTheOutputDoesNotFit) {
    const auto text = test_data::text_stream(100000, 2);
    zstd_compressor compressor;
    const auto size = compressor.compress(text).size();
    std::vector<std::byte> out(zstd_compressor::bound(text.size()));
    EXPECT_EQ(compressor.compress_into(out, text), size);
    out.resize(size / 2);
    EXPECT_EQ(compressor.compress_into(out, text), std::nullopt);
}

TEST(Zstd, StorageRule) {
    EXPECT_EQ(max_compressed_size(3200), 3100u);
    EXPECT_TRUE(compression_pays(3200, 3100));
    EXPECT_FALSE(compression_pays(3200, 3101));
    EXPECT_FALSE(compression_pays(31, 32));
}

TEST(Zstd, RandomDataIsStoredRaw) {
    const auto noise = test_data::random_stream(MiB, 3);
    zstd_compressor compressor;
    std::vector<std::byte> scratch;
    const auto blob = encode_blob(compressor, noise, scratch);
    EXPECT_FALSE(compression_pays(noise.size(), compressor.compress(noise).size()));
    EXPECT_EQ(blob.encoding, blob_encoding::raw);
    EXPECT_EQ(blob.bytes.data(), noise.data());  // not copied
    EXPECT_EQ(blob.bytes.size(), noise.size());

    const auto nothing = encode_blob(compressor, {}, scratch);
    EXPECT_EQ(nothing.encoding, blob_encoding::raw);
    EXPECT_TRUE(nothing.bytes.empty());
}

TEST(Zstd, TextIsStoredCompressed) {
    const auto text = test_data::text_stream(MiB, 4);
    zstd_compressor compressor;
    zstd_decompressor decompressor;
    std::vector<std::byte> scratch;
    for (int round = 0; round < 2; ++round) {  // the second round reuses the scratch buffer
        const auto blob = encode_blob(compressor, text, scratch);
        ASSERT_EQ(blob.encoding, blob_encoding::zstd);
        EXPECT_TRUE(compression_pays(text.size(), blob.bytes.size()));
        EXPECT_EQ(decompressor.decompress(blob.bytes, text.size()), text);
    }
}

TEST(Zstd, DecompressionLimitIsEnforcedBeforeAllocating) {
    zstd_compressor compressor;
    zstd_decompressor decompressor;
    // A bomb: a few kilobytes that claim 64 MiB.
    const auto bomb = compressor.compress(std::vector<std::byte>(64 * MiB));
    ASSERT_LT(bomb.size(), 64 * 1024u);
    EXPECT_THROW(decompressor.decompress(bomb, 8 * MiB), compression_error);

    const auto text = test_data::text_stream(100000, 5);
    const auto frame = compressor.compress(text);
    EXPECT_THROW(decompressor.decompress(frame, text.size() - 1), compression_error);
    std::vector<std::byte> out(text.size() - 1);
    EXPECT_THROW(decompressor.decompress_into(out, frame), compression_error);
    out.resize(text.size() + 10);  // a larger buffer is fine; only the content is written
    EXPECT_EQ(decompressor.decompress_into(out, frame), text.size());
    EXPECT_TRUE(std::equal(text.begin(), text.end(), out.begin()));
}

TEST(Zstd, FramesThatAreNotOursAreRefused) {
    zstd_decompressor decompressor;
    EXPECT_THROW(decompressor.decompress(frame_without_size, MiB), compression_error);
    EXPECT_THROW(decompressor.decompress(test_data::random_stream(1000, 6), MiB),
                 compression_error);
    EXPECT_THROW(decompressor.decompress({}, MiB), compression_error);
    // A skippable frame (magic 0x184D2A50, 4 bytes of payload) would "decompress" to nothing.
    const std::vector<std::byte> skippable{std::byte{0x50}, std::byte{0x2a}, std::byte{0x4d},
                                           std::byte{0x18}, std::byte{4},    std::byte{0},
                                           std::byte{0},    std::byte{0},    std::byte{1},
                                           std::byte{2},    std::byte{3},    std::byte{4}};
    EXPECT_THROW(decompressor.decompress(skippable, MiB), compression_error);
}

TEST(Zstd, CorruptFramesAreRefused) {
    const auto text = test_data::text_stream(200000, 7);
    zstd_compressor compressor;
    zstd_decompressor decompressor;
    const auto frame = compressor.compress(text);

    for (std::size_t length = 0; length < frame.size(); length += 1 + length / 8)
        EXPECT_THROW(decompressor.decompress(std::span(frame).first(length), MiB),
                     compression_error)
            << "truncated to " << length << " bytes";

    auto trailing = frame;
    trailing.push_back(std::byte{0});
    EXPECT_THROW(decompressor.decompress(trailing, MiB), compression_error);

    auto two_frames = frame;
    two_frames.insert(two_frames.end(), frame.begin(), frame.end());
    EXPECT_THROW(decompressor.decompress(two_frames, MiB), compression_error);

    // Damage anywhere: the frame is refused or, where zstd cannot tell (it has no checksum
    // here; AES-GCM authenticates every blob before it gets this far), decodes to exactly the
    // declared size. Never a crash, never more than the limit.
    test_data::prng rng(8);
    for (int round = 0; round < 300; ++round) {
        auto damaged = frame;
        damaged[rng.below(damaged.size())] ^=
            std::byte{static_cast<unsigned char>(1 + rng.below(255))};
        try {
            const auto out = decompressor.decompress(damaged, MiB);
            EXPECT_EQ(out.size(), zstd_decompressor::content_size(damaged));
        } catch (const compression_error&) {
        }
    }
}

}  // namespace
}  // namespace holdfast::repository
