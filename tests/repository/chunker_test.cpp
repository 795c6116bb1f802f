#include "repository/chunker.hpp"

#include "sample_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <functional>
#include <numeric>
#include <string_view>
#include <unordered_set>

namespace holdfast::repository {
namespace {

using test_data::prng;

constexpr std::size_t MiB = 1024 * 1024;

// Small chunks, so a few MiB of data give thousands of them.
const chunker_params small{.min_size = 2 * 1024, .avg_size = 8 * 1024, .max_size = 64 * 1024};

// 64 MiB of dump-like text, generated once for the tests that need a big stream.
const std::vector<std::byte>& big_text() {
    static const auto data = test_data::text_stream(64 * MiB, 42);
    return data;
}

// Chunk lengths for `data` written in pieces whose sizes come from `piece_size`.
template <typename PieceSize>
std::vector<std::size_t> chunk_lengths(const chunker_params& params,
                                       std::span<const std::byte> data, PieceSize piece_size) {
    chunker c(params);
    std::vector<std::size_t> lengths;
    std::size_t open = 0;  // bytes of the open chunk in earlier pieces
    while (!data.empty()) {
        auto piece = data.first(std::min(data.size(), piece_size()));
        data = data.subspan(piece.size());
        while (const auto cut = c.scan(piece)) {
            lengths.push_back(open + *cut);
            open = 0;
            piece = piece.subspan(*cut);
        }
        open += piece.size();
    }
    EXPECT_EQ(c.pending(), open);
    if (const std::size_t tail = c.finish()) lengths.push_back(tail);
    return lengths;
}

std::vector<std::size_t> chunk_lengths(const chunker_params& params,
                                       std::span<const std::byte> data) {
    return chunk_lengths(params, data, [&] { return data.size(); });
}

std::string_view as_text(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// What a repository would store for `modified` given everything in `original` is stored.
struct reuse {
    std::size_t chunks = 0, reused_chunks = 0, bytes = 0, reused_bytes = 0;
    double chunk_share() const {
        return static_cast<double>(reused_chunks) / static_cast<double>(chunks);
    }
    double byte_share() const {
        return static_cast<double>(reused_bytes) / static_cast<double>(bytes);
    }
};

reuse measure_reuse(const chunker_params& params, std::span<const std::byte> original,
                    std::span<const std::byte> modified) {
    std::unordered_set<std::string_view> stored;
    std::size_t offset = 0;
    for (const std::size_t length : chunk_lengths(params, original)) {
        stored.insert(as_text(original.subspan(offset, length)));
        offset += length;
    }
    reuse r;
    offset = 0;
    for (const std::size_t length : chunk_lengths(params, modified)) {
        ++r.chunks;
        r.bytes += length;
        if (stored.contains(as_text(modified.subspan(offset, length)))) {
            ++r.reused_chunks;
            r.reused_bytes += length;
        }
        offset += length;
    }
    return r;
}

// Figures for the XML report (--gtest_output=xml), where chunk sizes get tuned.
void record(const chunker_params& params, const reuse& r) {
    ::testing::Test::RecordProperty("new_chunks_avg_" + std::to_string(params.avg_size),
                                    std::to_string(r.chunks - r.reused_chunks) + " of " +
                                        std::to_string(r.chunks) + ", " +
                                        std::to_string(r.bytes - r.reused_bytes) + " bytes");
}

// The gear table is part of the repository format: pinned here, computed independently.
TEST(Chunker, GearTableIsSplitMix64FromTheDocumentedSeed) {
    const auto table = make_gear_table(default_gear_seed);
    EXPECT_EQ(table[0], 0x491eb2d782fcf06fu);
    EXPECT_EQ(table[1], 0x2cb506c8d379f9ceu);
    EXPECT_EQ(table[255], 0x7eabf6a3f317c365u);
    EXPECT_EQ(std::accumulate(table.begin(), table.end(), std::uint64_t{0}, std::bit_xor<>{}),
              0xd1f7b306ae5e33e6u);
}

TEST(Chunker, RefusesBadParameters) {
    EXPECT_NO_THROW(chunker_params{}.validate());
    EXPECT_NO_THROW(small.validate());
    const auto refused = [](chunker_params p) {
        EXPECT_THROW(p.validate(), std::invalid_argument);
        EXPECT_THROW(chunker{p}, std::invalid_argument);
    };
    refused({.min_size = 2048, .avg_size = 12000, .max_size = 65536});  // avg not a power of 2
    refused({.min_size = 64, .avg_size = 128, .max_size = 1024});       // avg too small
    refused({.min_size = 32, .avg_size = 8192, .max_size = 65536});     // min below the window
    refused({.min_size = 8192, .avg_size = 8192, .max_size = 65536});   // min == avg
    refused({.min_size = 2048, .avg_size = 8192, .max_size = 8192});    // max == avg
    refused({.min_size = 2048, .avg_size = 8192, .max_size = std::size_t{2} << 30});
    refused({.min_size = 2048, .avg_size = 8192, .max_size = 65536, .normalization = 5});
}

// Pins the cut points of a fixed stream: if this changes, existing repositories stop
// deduplicating against new backups. Change it only with a repository format version bump.
TEST(Chunker, CutPointsAreStable) {
    const auto data = test_data::random_stream(4 * MiB, 7);
    const auto lengths = chunk_lengths(small, data);
    std::uint64_t fingerprint = 0xcbf29ce484222325;  // FNV-1a over the lengths
    for (const std::size_t length : lengths) {
        fingerprint ^= length;
        fingerprint *= 0x100000001b3;
    }
    EXPECT_EQ(lengths.size(), 466u);
    EXPECT_EQ(fingerprint, 0x9b4ee634f384662bu);
}

TEST(Chunker, SameCutsWhateverTheSplit) {
    const auto data = test_data::text_stream(8 * MiB, 1);
    const auto whole = chunk_lengths(small, data);
    ASSERT_GT(whole.size(), 500u);
    prng rng(99);
    for (const std::size_t largest : {7u, 100u, 5000u, 70000u, 1000000u}) {
        for (int round = 0; round < 3; ++round) {
            const auto split = chunk_lengths(small, data, [&] { return 1 + rng.below(largest); });
            ASSERT_EQ(split, whole) << "pieces of 1.." << largest << " bytes";
        }
    }
}

TEST(Chunker, SameCutsWhenFedByteByByte) {
    const auto data = test_data::text_stream(MiB, 2);
    EXPECT_EQ(chunk_lengths(small, data, [] { return std::size_t{1}; }),
              chunk_lengths(small, data));
}

TEST(Chunker, SizesStayWithinBounds) {
    for (const auto& params : {small, chunker_params{}}) {
        const auto lengths = chunk_lengths(params, big_text());
        ASSERT_GT(lengths.size(), 10u);
        for (std::size_t i = 0; i + 1 < lengths.size(); ++i) {
            EXPECT_GE(lengths[i], params.min_size);
            EXPECT_LE(lengths[i], params.max_size);
        }
        EXPECT_GE(lengths.back(), 1u);
        EXPECT_LE(lengths.back(), params.max_size);
        EXPECT_EQ(std::accumulate(lengths.begin(), lengths.end(), std::size_t{0}),
                  big_text().size());
        // Normalized chunking keeps the mean near avg_size.
        const double mean =
            static_cast<double>(big_text().size()) / static_cast<double>(lengths.size());
        ::testing::Test::RecordProperty("mean_size_avg_" + std::to_string(params.avg_size),
                                        std::to_string(mean));
        EXPECT_GT(mean, 0.75 * static_cast<double>(params.avg_size));
        EXPECT_LT(mean, 1.5 * static_cast<double>(params.avg_size));
    }
}

// With no content to cut on, chunks are forced at max_size and never exceed it.
TEST(Chunker, FlatDataIsCutAtMaxSize) {
    const std::vector<std::byte> zeros(MiB + 123);
    const auto lengths = chunk_lengths(small, zeros);
    for (std::size_t i = 0; i + 1 < lengths.size(); ++i) EXPECT_EQ(lengths[i], small.max_size);
    EXPECT_EQ(lengths.back(), (MiB + 123) % small.max_size);
}

TEST(Chunker, EmptyStreamAndStreamEndingOnACut) {
    chunker c(small);
    EXPECT_EQ(c.scan({}), std::nullopt);
    EXPECT_EQ(c.finish(), 0u);

    const std::vector<std::byte> zeros(small.max_size);
    EXPECT_EQ(c.scan(zeros), small.max_size);
    EXPECT_EQ(c.pending(), 0u);
    EXPECT_EQ(c.finish(), 0u);
}

TEST(Chunker, OneByteInsertedAtTheFrontShiftsNothingElse) {
    std::vector<std::byte> shifted;
    shifted.reserve(big_text().size() + 1);
    shifted.push_back(std::byte{'X'});
    shifted.insert(shifted.end(), big_text().begin(), big_text().end());
    for (const auto& params : {small, chunker_params{}}) {
        const auto r = measure_reuse(params, big_text(), shifted);
        record(params, r);
        EXPECT_GE(r.chunk_share(), 0.95) << r.reused_chunks << " of " << r.chunks << " chunks";
        EXPECT_GE(r.byte_share(), 0.95) << r.reused_bytes << " of " << r.bytes << " bytes";
        EXPECT_GE(r.reused_chunks + 2, r.chunks) << "avg " << params.avg_size;
    }
}

TEST(Chunker, ABlockChangedInTheMiddleCostsOnlyTheChunksAroundIt) {
    auto changed = big_text();
    const auto noise = test_data::random_stream(4096, 5);
    std::copy(noise.begin(), noise.end(), changed.begin() + 32 * MiB);
    for (const auto& params : {small, chunker_params{}}) {
        const auto r = measure_reuse(params, big_text(), changed);
        record(params, r);
        EXPECT_LE(r.chunks - r.reused_chunks, 4u) << "avg " << params.avg_size;
        EXPECT_LE(r.bytes - r.reused_bytes, 2 * params.max_size) << "avg " << params.avg_size;
        EXPECT_GE(r.byte_share(), 0.9);
    }
}

// Writes `data` to `stream` in pieces of 1 to 40,000 bytes (sizes from `seed`), then finishes it.
void write_in_random_pieces(chunk_stream& stream, std::span<const std::byte> data, std::uint64_t seed) {
    prng rng(seed);
    for (std::span<const std::byte> rest = data; !rest.empty();) {
        const auto piece = rest.first(std::min(rest.size(), 1 + rng.below(40000)));
        stream.write(piece);
        rest = rest.subspan(piece.size());
    }
    stream.finish();
}

TEST(ChunkStream, HandsOverEveryChunkInOrder) {
    const auto data = test_data::text_stream(4 * MiB, 3);
    const auto expected = chunk_lengths(small, data);
    std::vector<std::byte> joined;
    std::vector<std::size_t> lengths;
    chunk_stream stream(small, [&](std::span<const std::byte> chunk, const chunk_sketch&) {
        EXPECT_LE(chunk.size(), small.max_size);
        lengths.push_back(chunk.size());
        joined.insert(joined.end(), chunk.begin(), chunk.end());
    });
    write_in_random_pieces(stream, data, 5);
    EXPECT_EQ(lengths, expected);
    EXPECT_TRUE(joined == data);
}

// The rule written out byte by byte, as chunker.hpp states it: the gear hash
// restarts at each chunk; a chunk ends after the byte at offset o when o reaches
// max_size - 1, or when o >= min_size - 1 and the hash's top bits are zero (log2(avg) +
// normalization of them below offset avg_size - 1, log2(avg) - normalization from there).
std::vector<std::size_t> reference_chunk_lengths(const chunker_params& params, std::span<const std::byte> data) {
    const gear_table gear = make_gear_table(params.gear_seed);
    const unsigned bits = static_cast<unsigned>(std::countr_zero(params.avg_size));
    const auto top = [](unsigned count) { return ~std::uint64_t{0} << (64 - count); };
    const std::uint64_t small_mask = top(bits + params.normalization), large_mask = top(bits - params.normalization);
    std::vector<std::size_t> lengths;
    std::uint64_t h = 0;
    std::size_t length = 0;
    for (const std::byte b : data) {
        h = (h << 1) + gear[static_cast<std::uint8_t>(b)];
        const std::size_t offset = length++;
        const bool end = offset >= params.max_size - 1 ||
                         (offset >= params.avg_size - 1 && (h & large_mask) == 0) ||
                         (offset >= params.min_size - 1 && offset < params.avg_size - 1 && (h & small_mask) == 0);
        if (end) {
            lengths.push_back(length);
            length = 0;
            h = 0;
        }
    }
    if (length != 0) lengths.push_back(length);
    return lengths;
}

// The chunker's fast loop (four bytes a step, one test for both anchors and cuts) cuts where
// the plain rule does, with the repository's sizes, with tiny ones (where a cut needs fewer
// zero bits than an anchor), and with every normalization level; and each chunk's sketch is
// that of its bytes.
TEST(Chunker, CutsAndSketchesAreThoseOfThePlainRule) {
    const auto random = test_data::random_stream(6 * MiB, 11);
    const auto text = test_data::text_stream(6 * MiB, 12);
    const std::vector<chunker_params> all{
        chunker_params{},
        small,
        {.min_size = 64, .avg_size = 256, .max_size = 1024},
        {.min_size = 64, .avg_size = 256, .max_size = 4096, .normalization = 4},
        {.min_size = 100, .avg_size = 1024, .max_size = 3000, .normalization = 0},
        {.min_size = 4096, .avg_size = 16384, .max_size = 20000, .normalization = 3},
    };
    for (const auto& params : all) {
        const gear_table gear = make_gear_table(params.gear_seed);
        for (const auto* data : {&random, &text}) {
            SCOPED_TRACE("avg " + std::to_string(params.avg_size) + ", normalization " +
                         std::to_string(params.normalization) + (data == &random ? ", random" : ", text"));
            std::vector<std::size_t> lengths;
            std::size_t offset = 0, wrong_chunks = 0;
            chunk_stream stream(params, [&](std::span<const std::byte> chunk, const chunk_sketch& sketch) {
                lengths.push_back(chunk.size());
                if (!std::equal(chunk.begin(), chunk.end(), data->begin() + static_cast<std::ptrdiff_t>(offset)) ||
                    sketch != sketch_of(chunk, gear))
                    ++wrong_chunks;
                offset += chunk.size();
            });
            write_in_random_pieces(stream, *data, 13);
            EXPECT_EQ(lengths, reference_chunk_lengths(params, *data));
            EXPECT_EQ(wrong_chunks, 0u);
            EXPECT_GT(lengths.size(), 2u);
        }
    }
}

// The sketch collected in the chunker's pass is the sketch of the chunk's bytes, whether the
// chunk was cut by the hash, forced at max_size (a run of one byte value never matches) or
// ended by finish(), and however the stream was split into writes.
TEST(ChunkStream, GivesEachChunkTheSketchOfItsBytes) {
    auto data = test_data::text_stream(3 * MiB, 6);
    data.insert(data.end(), 3 * small.max_size, std::byte{'a'});
    const auto tail = test_data::text_stream(100'000, 7);
    data.insert(data.end(), tail.begin(), tail.end());
    const gear_table gear = make_gear_table(small.gear_seed);
    std::size_t chunks = 0, forced = 0, with_keys = 0;
    chunk_stream stream(small, [&](std::span<const std::byte> chunk, const chunk_sketch& sketch) {
        ++chunks;
        if (chunk.size() == small.max_size) ++forced;
        if (sketch.keys[0] != chunk_sketch::no_key) ++with_keys;
        EXPECT_EQ(sketch, sketch_of(chunk, gear)) << "chunk " << chunks << " of " << chunk.size() << " bytes";
    });
    write_in_random_pieces(stream, data, 8);
    EXPECT_GT(chunks, 20u);
    EXPECT_GE(forced, 2u);
    EXPECT_GT(with_keys, chunks / 2);
}

TEST(ChunkStream, ASinkThatThrowsLeavesNoStaleBytes) {
    const auto data = test_data::text_stream(MiB, 4);
    std::vector<std::size_t> lengths;
    bool fail = true;
    chunk_stream stream(small, [&](std::span<const std::byte> chunk, const chunk_sketch&) {
        if (fail) throw std::runtime_error("sink failed");
        lengths.push_back(chunk.size());
    });
    // Small pieces: the first chunk is gathered in the internal buffer when the sink fails.
    EXPECT_THROW(for (std::size_t offset = 0;; offset += 1000)
                     stream.write(std::span(data).subspan(offset, 1000)),
                 std::runtime_error);
    fail = false;
    stream.finish();
    EXPECT_TRUE(lengths.empty()) << "a chunk of " << lengths.front() << " stale bytes";

    stream.write(data);
    stream.finish();
    EXPECT_EQ(lengths, chunk_lengths(small, data));
}

}  // namespace
}  // namespace holdfast::repository
