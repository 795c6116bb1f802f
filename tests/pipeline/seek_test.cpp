// Seeking in a snapshot stream (ABI 1.2): whole blobs are passed by their indexed length,
// reads after a seek are still checked blob by blob, several handles of one stream keep
// their own positions, and the whole-stream checks hold for every handle that reads each
// blob in order.
#include "pipeline_fixture.hpp"

#include "progress/reporter.hpp"
#include "repository/object_names.hpp"
#include "repository/stream_content.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>

namespace holdfast::pipeline::testing {
namespace {

using repository::test_data::prng;
using repository::test_data::random_stream;

// Where each blob of a stream begins, then the stream's end.
std::vector<std::uint64_t> blob_starts(const repository::repo& repo, const repository::stream_entry& stream) {
    std::vector<std::uint64_t> starts{0};
    for (const auto& id : repository::content_blobs(repo, stream))
        starts.push_back(starts.back() + repo.plain_length(id, repository::blob_type::data));
    return starts;
}

bytes from(const bytes& data, std::uint64_t offset, std::size_t count = std::numeric_limits<std::size_t>::max()) {
    const auto begin = data.begin() + static_cast<std::ptrdiff_t>(offset);
    return bytes(begin, begin + static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(count, data.size() - offset)));
}

// Up to `count` bytes from where the reader is, in reads of at most `piece`.
bytes read_some(client::stream_reader& reader, std::size_t count, std::size_t piece) {
    bytes out;
    bytes buffer(piece);
    while (out.size() < count) {
        const std::size_t n = reader.read(std::span(buffer).first(std::min(piece, count - out.size())));
        if (n == 0) break;
        out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    }
    return out;
}

class seek_test : public pipeline_test {
protected:
    // A stream of about 1,200 blobs of 64 B to 1 KiB.
    void SetUp() override {
        pipeline_test::SetUp();
        repo_.emplace(init("pw", tiny_chunks()));
        data_ = random_stream(300 * 1024 + 17, 11);
        snap_ = backup(*repo_, {{"s", data_}}).snapshot;
        starts_ = blob_starts(*repo_, snap_.streams[0]);
        ASSERT_EQ(starts_.back(), data_.size());
        ASSERT_GT(starts_.size(), 100u);
    }

    std::optional<repository::repo> repo_;
    bytes data_;
    repository::snapshot snap_;
    std::vector<std::uint64_t> starts_;
};

TEST_F(seek_test, ReadsAfterASeekReturnTheStreamFromThere) {
    const std::size_t mid = starts_.size() / 2;
    const std::uint64_t size = data_.size();
    for (const std::uint64_t offset : {std::uint64_t{0}, std::uint64_t{1}, starts_[1] - 1, starts_[1], starts_[2],
                                       starts_[mid], (starts_[mid] + starts_[mid + 1]) / 2, size - 1, size}) {
        snapshot_origin origin(*repo_, snap_, {.threads = 2, .window = 3});
        auto reader = origin.open("s");
        reader->seek(offset);
        const auto result = read_until_error(*reader, 1000);
        EXPECT_FALSE(result.error) << offset << ": " << result.error->what();
        EXPECT_EQ(result.delivered, from(data_, offset)) << offset;
    }
}

// Forwards within the window and past it, backwards, into the blob in hand, to the end; then
// the reader is closed with blobs still being fetched.
TEST_F(seek_test, OneHandleSeeksAnyNumberOfTimesInEitherDirection) {
    for (const read_options options :
         {read_options{.threads = 1, .window = 1}, read_options{.threads = 3, .window = 8}}) {
        snapshot_origin origin(*repo_, snap_, options);
        auto reader = origin.open("s");
        prng rng(options.window);
        std::uint64_t at = 0;
        for (int i = 0; i < 300; ++i) {
            switch (rng.below(4)) {
                case 0: at = rng.below(data_.size() + 1); break;                                  // anywhere
                case 1: at = starts_[rng.below(starts_.size())]; break;                           // a blob's start
                case 2: at = std::min<std::uint64_t>(at + rng.below(3000), data_.size()); break;  // a little ahead
                default: at -= std::min<std::uint64_t>(at, rng.below(200)); break;                // a little back
            }
            reader->seek(at);
            const std::size_t want = 1 + rng.below(3000);
            const bytes got = read_some(*reader, want, 1 + rng.below(700));
            ASSERT_EQ(got, from(data_, at, want)) << "seek " << i << " to " << at;
            at += got.size();
        }
        reader->seek(starts_[5]);
        EXPECT_EQ(read_some(*reader, 10, 10), from(data_, starts_[5], 10));
        reader.reset();  // its window is still being fetched
        EXPECT_EQ(read_back(*repo_, snap_, "s"), data_);
        EXPECT_FALSE(origin.corruption());
    }
}

// A stream long enough for its content list to spill into list blobs: a seek walks them.
TEST_F(seek_test, SeeksWalkContentListsToo) {
    const auto data = random_stream(5 * 1024 * 1024, 12);
    const auto snap = backup(*repo_, {{"big", data}}).snapshot;
    ASSERT_GE(snap.streams[0].content_lists.size(), 2u);
    const auto starts = blob_starts(*repo_, snap.streams[0]);
    snapshot_origin origin(*repo_, snap);
    auto reader = origin.open("big");
    // The first blob of the second list blob, then back into the first list, then the end.
    for (const std::uint64_t offset : {starts[16384], starts[16384] + 1, starts[100] + 7, starts[starts.size() - 2]}) {
        reader->seek(offset);
        EXPECT_EQ(read_some(*reader, 5000, 4096), from(data, offset, 5000)) << offset;
    }
}

TEST_F(seek_test, TwoHandlesOfOneStreamReadAlternately) {
    snapshot_origin origin(*repo_, snap_, {.threads = 2, .window = 4});
    auto whole = origin.open("s");
    auto ranged = origin.open("s");
    bytes sequential;
    prng rng(3);
    for (int i = 0; i < 100; ++i) {
        const std::uint64_t at = rng.below(data_.size());
        ranged->seek(at);
        EXPECT_EQ(read_some(*ranged, 2000, 512), from(data_, at, 2000)) << at;
        const bytes next = read_some(*whole, 3000, 1000);
        sequential.insert(sequential.end(), next.begin(), next.end());
    }
    const auto rest = read_until_error(*whole);
    EXPECT_FALSE(rest.error);
    sequential.insert(sequential.end(), rest.delivered.begin(), rest.delivered.end());
    EXPECT_EQ(sequential, data_);
    EXPECT_FALSE(origin.corruption());
}

TEST_F(seek_test, SeekingPastTheEndIsAnInvalidArgumentAndMovesNothing) {
    snapshot_origin origin(*repo_, snap_);
    auto reader = origin.open("s");
    EXPECT_EQ(read_some(*reader, 500, 500), from(data_, 0, 500));
    for (const std::uint64_t offset : {std::uint64_t{data_.size() + 1}, std::numeric_limits<std::uint64_t>::max()}) {
        try {
            reader->seek(offset);
            ADD_FAILURE() << "seek to " << offset << " accepted";
        } catch (const client::plugin_error& e) {
            EXPECT_EQ(e.code(), HF_ERR_INVALID_ARGUMENT);
            EXPECT_EQ(std::string(e.what()), "cannot seek to byte " + std::to_string(offset) +
                                                 " of stream 's': it has " + std::to_string(data_.size()) + " bytes");
        }
    }
    EXPECT_EQ(read_some(*reader, 500, 500), from(data_, 500, 500));
    EXPECT_FALSE(origin.corruption());
}

// The checksum of the whole stream needs every blob in order: a handle keeps checking it
// until a seek passes a blob unread, and again once it starts over from the first byte.
TEST_F(seek_test, TheWholeStreamHashIsCheckedUntilABlobIsSkipped) {
    auto altered = snap_;
    altered.streams[0].checksum.hex = std::string(32, '0');
    snapshot_origin origin(*repo_, altered);
    const auto fails_on_hash = [](const partial_read& result) {
        return result.error && result.error->code() == HF_ERR_CORRUPT &&
               std::string(result.error->what()).find("checksum") != std::string::npos;
    };

    auto inside_first = origin.open("s");
    inside_first->seek(1);  // still in the first blob: nothing skipped
    EXPECT_TRUE(fails_on_hash(read_until_error(*inside_first)));

    auto skipping = origin.open("s");
    skipping->seek(starts_[2]);
    const auto skipped = read_until_error(*skipping);
    EXPECT_FALSE(skipped.error) << skipped.error->what();
    EXPECT_EQ(skipped.delivered, from(data_, starts_[2]));

    auto back_to_start = origin.open("s");
    back_to_start->seek(starts_[5] + 3);
    EXPECT_EQ(read_some(*back_to_start, 100, 100), from(data_, starts_[5] + 3, 100));
    back_to_start->seek(0);
    EXPECT_TRUE(fails_on_hash(read_until_error(*back_to_start)));
}

// What a seek does not take away: content that does not add up to the recorded size.
TEST_F(seek_test, ASoughtHandleStillChecksTheSize) {
    const std::size_t mid = starts_.size() / 2;
    for (const std::int64_t delta : {-1, 1}) {
        auto altered = snap_;
        altered.streams[0].size = static_cast<std::uint64_t>(static_cast<std::int64_t>(data_.size()) + delta);
        snapshot_origin origin(*repo_, altered);
        auto reader = origin.open("s");
        reader->seek(starts_[mid] + 1);
        const auto result = read_until_error(*reader);
        ASSERT_TRUE(result.error) << delta;
        EXPECT_EQ(result.error->code(), HF_ERR_CORRUPT);
        EXPECT_LT(result.delivered.size(), data_.size() - starts_[mid] - 1) << "the last blob was handed over";
    }
}

TEST_F(seek_test, ADamagedBlobReadAfterASeekIsCorrupt) {
    const auto ids = repository::content_blobs(*repo_, snap_.streams[0]);
    const std::size_t k = ids.size() / 2;
    const auto location = repo_->index().find(ids[k]);
    ASSERT_TRUE(location);
    flip_byte(file_of(repository::names::pack(location->pack)), location->record.offset + 1);

    snapshot_origin origin(*repo_, snap_, {.threads = 2, .window = 4});
    // Passing over the damaged blob never reads it.
    auto past = origin.open("s");
    past->seek(starts_[k + 1]);
    const auto after = read_until_error(*past);
    EXPECT_FALSE(after.error) << after.error->what();
    EXPECT_EQ(after.delivered, from(data_, starts_[k + 1]));
    EXPECT_FALSE(origin.corruption());

    // Landing before it: the blob before is handed over, the damaged one is refused.
    auto into = origin.open("s");
    into->seek(starts_[k - 1]);
    const auto result = read_until_error(*into, 100);
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->code(), HF_ERR_CORRUPT);
    EXPECT_NE(std::string(result.error->what()).find(ids[k].hex()), std::string::npos) << result.error->what();
    EXPECT_EQ(result.delivered, from(data_, starts_[k - 1], starts_[k] - starts_[k - 1]));
    EXPECT_TRUE(origin.corruption());
    // And it stays failed, for seeks too.
    try {
        into->seek(0);
        ADD_FAILURE() << "a failed reader sought";
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_CORRUPT);
    }
}

TEST_F(seek_test, ABlobMissingFromTheIndexFailsTheSeekAsCorrupt) {
    // Few enough blobs for the snapshot to list them itself, so one can be slipped in.
    auto snap = backup(*repo_, {{"small", random_stream(50 * 1024, 13)}}).snapshot;
    auto& stream = snap.streams[0];
    ASSERT_GE(stream.content.size(), 3u);
    const auto starts = blob_starts(*repo_, stream);
    stream.content.insert(stream.content.begin() + 1,
                          repository::object_id::of_content(repository::testing::bytes_of("nope")));
    stream.size += 4;
    snapshot_origin origin(*repo_, snap);
    auto reader = origin.open("small");
    try {
        reader->seek(starts[2]);  // past the unknown blob: its length is needed
        ADD_FAILURE() << "seek past an unindexed blob";
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_CORRUPT);
        EXPECT_NE(std::string(e.what()).find("is not in the index"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("run 'holdfast check'"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(origin.corruption());
    bytes buffer(10);
    EXPECT_THROW(reader->read(buffer), client::plugin_error);
}

TEST_F(seek_test, ProgressCountsTheBytesHandedOverOnly) {
    std::ostringstream out;
    progress::reporter reporter(progress::display::off, out);
    reporter.start_phase("restore", data_.size());
    snapshot_origin origin(*repo_, snap_, {}, &reporter);
    auto reader = origin.open("s");
    reader->seek(starts_[3] + 5);
    EXPECT_EQ(read_some(*reader, 1000, 300).size(), 1000u);
    reader->seek(10);
    EXPECT_EQ(read_some(*reader, 100, 100).size(), 100u);
    reader->seek(data_.size());
    EXPECT_TRUE(read_some(*reader, 10, 10).empty());
    EXPECT_EQ(reporter.state().done, 1100u);
    reporter.finish();
}

}  // namespace
}  // namespace holdfast::pipeline::testing
