// Reading snapshots back: read-ahead in order, verification of every blob and of the whole
// stream, and never handing over a complete stream whose content is wrong.
#include "pipeline_fixture.hpp"

#include "pipeline/content_cursor.hpp"
#include "repository/errors.hpp"
#include "repository/snapshots.hpp"
#include "repository/stream_content.hpp"

#include <gtest/gtest.h>

namespace holdfast::pipeline::testing {
namespace {

using repository::test_data::random_stream;
using repository::test_data::text_stream;

using restore_test = pipeline_test;

TEST_F(restore_test, OriginListsStreamsAndMetadataAndRefusesUnknownStreams) {
    repository::repo repo = init();
    const auto outcome = backup(repo, {{"a", text_stream(1000, 1)}, {"b", bytes{}}});
    snapshot_origin origin(repo, outcome.snapshot);
    const auto streams = origin.streams();
    ASSERT_EQ(streams.size(), 2u);
    EXPECT_EQ(streams[0].name, "a");
    EXPECT_EQ(streams[0].size, 1000u);
    EXPECT_EQ(streams[1].size, 0u);
    EXPECT_EQ(nlohmann::json::parse(origin.metadata_json()), nlohmann::json({{"streams", 2}}));
    EXPECT_EQ(origin.total_bytes(), 1000u);
    try {
        origin.open("c");
        ADD_FAILURE();
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_NOT_FOUND);
        EXPECT_NE(std::string(e.what()).find("a, b"), std::string::npos) << e.what();
    }
}

TEST_F(restore_test, ReadAheadDeliversInOrderWhateverTheReadSize) {
    repository::repo repo = init("pw", tiny_chunks());
    const auto data = random_stream(300 * 1024 + 17, 3);
    const auto outcome = backup(repo, {{"s", data}});
    for (std::size_t piece : {std::size_t{1}, std::size_t{255}, std::size_t{4096}, std::size_t{1 << 20}}) {
        snapshot_origin origin(repo, outcome.snapshot, {.threads = 3, .window = 5});
        auto reader = origin.open("s");
        EXPECT_EQ(read_until_error(*reader, piece).delivered, data) << piece;
    }
}

TEST_F(restore_test, CursorWalksContentListsLikeTheRepositoryDoes) {
    repository::repo repo = init("pw", tiny_chunks());
    const auto outcome = backup(repo, {{"s", random_stream(5 * 1024 * 1024, 4)}});
    const auto& stream = outcome.snapshot.streams[0];
    ASSERT_FALSE(stream.content_lists.empty());
    content_cursor cursor(repo, stream);
    std::vector<repository::object_id> walked;
    while (auto id = cursor.next()) walked.push_back(*id);
    EXPECT_EQ(walked, repository::content_blobs(repo, stream));
}

TEST_F(restore_test, AWrongStreamHashFailsBeforeTheLastChunkIsHandedOver) {
    repository::repo repo = init();
    const auto data = random_stream(3 * 1024 * 1024 + 5, 5);
    auto snap = backup(repo, {{"s", data}}).snapshot;
    // Every blob is intact; only the whole-stream check can tell.
    snap.streams[0].checksum.hex = std::string(32, '0');
    snapshot_origin origin(repo, snap);
    auto reader = origin.open("s");
    const auto result = read_until_error(*reader);
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->code(), HF_ERR_CORRUPT);
    EXPECT_NE(std::string(result.error->what()).find("xxh3_128 checksum"), std::string::npos) << result.error->what();
    // The last chunk was held back: the engine never had the whole stream.
    const auto last = repo.read_blob(snap.streams[0].content.back());
    EXPECT_EQ(result.delivered.size(), data.size() - last.size());
    EXPECT_TRUE(std::equal(result.delivered.begin(), result.delivered.end(), data.begin()));
    // And it stays failed.
    bytes buffer(10);
    EXPECT_THROW(reader->read(buffer), client::plugin_error);
    ASSERT_TRUE(origin.corruption());
}

// Snapshots of holdfast 0.1.0 record the stream's SHA-256; it is still checked.
TEST_F(restore_test, AStreamRecordedWithSha256IsCheckedWithSha256) {
    repository::repo repo = init();
    const auto data = random_stream(1024 * 1024 + 7, 9);
    auto snap = backup(repo, {{"s", data}}).snapshot;
    snap.streams[0].checksum = repository::stream_hasher::of(data, repository::checksum_algorithm::sha256);
    {
        snapshot_origin origin(repo, snap);
        auto reader = origin.open("s");
        const auto result = read_until_error(*reader);
        EXPECT_FALSE(result.error);
        EXPECT_TRUE(result.delivered == data);
    }
    snap.streams[0].checksum.hex = std::string(64, '0');
    snapshot_origin origin(repo, snap);
    auto reader = origin.open("s");
    const auto result = read_until_error(*reader);
    ASSERT_TRUE(result.error);
    EXPECT_NE(std::string(result.error->what()).find("sha256 checksum"), std::string::npos) << result.error->what();
}

TEST_F(restore_test, AWrongRecordedSizeIsCorruption) {
    repository::repo repo = init();
    auto snap = backup(repo, {{"s", text_stream(500000, 6)}}).snapshot;
    for (std::uint64_t size : {std::uint64_t{499999}, std::uint64_t{500001}}) {
        auto altered = snap;
        altered.streams[0].size = size;
        snapshot_origin origin(repo, altered);
        auto reader = origin.open("s");
        const auto result = read_until_error(*reader);
        ASSERT_TRUE(result.error) << size;
        EXPECT_EQ(result.error->code(), HF_ERR_CORRUPT);
        EXPECT_LT(result.delivered.size(), 500000u);
    }
}

TEST_F(restore_test, AnEmptyStreamIsCheckedToo) {
    repository::repo repo = init();
    auto snap = backup(repo, {{"empty", bytes{}}}).snapshot;
    {
        snapshot_origin origin(repo, snap);
        auto reader = origin.open("empty");
        EXPECT_TRUE(read_until_error(*reader).delivered.empty());
    }
    snap.streams[0].checksum.hex = std::string(32, 'f');
    snapshot_origin origin(repo, snap);
    auto reader = origin.open("empty");
    EXPECT_TRUE(read_until_error(*reader).error);
}

TEST_F(restore_test, ADamagedPackFailsTheReadWithCorruptAndNamesTheBlob) {
    repository::repo repo = init();
    const auto data = random_stream(2 * 1024 * 1024, 7);
    const auto snap = backup(repo, {{"s", data}}).snapshot;
    // Damage the first stored byte of every pack: each blob sits at offset 0 of its
    // 32 KiB pack, so every blob fails authentication.
    for (const auto& key : objects("data/")) flip_byte(file_of(key), 20);
    snapshot_origin origin(repo, snap);
    auto reader = origin.open("s");
    const auto result = read_until_error(*reader);
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->code(), HF_ERR_CORRUPT);
    EXPECT_NE(std::string(result.error->what()).find("corrupt"), std::string::npos) << result.error->what();
    EXPECT_TRUE(result.delivered.empty());
}

TEST_F(restore_test, AMissingBlobIsCorruption) {
    repository::repo repo = init();
    auto snap = backup(repo, {{"s", text_stream(100000, 8)}}).snapshot;
    snap.streams[0].content.push_back(repository::object_id::of_content(repository::testing::bytes_of("nope")));
    snap.streams[0].size += 4;
    snapshot_origin origin(repo, snap);
    auto reader = origin.open("s");
    const auto result = read_until_error(*reader);
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->code(), HF_ERR_CORRUPT);
}

}  // namespace
}  // namespace holdfast::pipeline::testing
