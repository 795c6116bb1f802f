// The blob store: round trips, deduplication, concurrency.
#include "repository_fixture.hpp"

#include "repository/blob_store.hpp"
#include "repository/errors.hpp"
#include "repository/index_file.hpp"
#include "sample_data.hpp"

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace holdfast::repository::testing {
namespace {

using blob_store_test = repository_test;

TEST_F(blob_store_test, EmptyAndOneByteBlobsRoundTrip) {
    object_id empty_id, one_id;
    {
        repo r = init();
        blob_store store(r);
        empty_id = store.add(blob_type::data, {}).id;
        const std::byte one[] = {std::byte{0x42}};
        one_id = store.add(blob_type::data, one).id;
        store.flush();
        EXPECT_EQ(store.stats().blobs_new, 2u);
        EXPECT_EQ(store.stats().packs_written, 1u);
        EXPECT_EQ(store.stats().indexes_written, 1u);
    }
    repo r = open();
    r.load_index();
    EXPECT_EQ(r.index().blob_count(), 2u);
    EXPECT_TRUE(r.read_blob(empty_id).empty());
    EXPECT_EQ(r.read_blob(one_id), std::vector{std::byte{0x42}});
    EXPECT_THROW(r.read_blob(empty_id, blob_type::list), corruption_error);
    EXPECT_EQ(objects("data/").size(), 1u);
    EXPECT_EQ(objects("index/").size(), 1u);
}

TEST_F(blob_store_test, IdsAreKeyedHashes) {
    repo r = init();
    blob_store store(r);
    const auto data = test_data::text_stream(1000, 1);
    const object_id id = store.add(blob_type::data, data).id;
    // Not the plain SHA-256: ids reveal nothing without the key.
    EXPECT_NE(id, object_id::of_content(data));
    EXPECT_EQ(id, object_id(hmac_sha256(r.key()->id_key.bytes()).mac(data)));
}

TEST_F(blob_store_test, SameDataIsStoredOnce) {
    const auto data = test_data::text_stream(20000, 7);
    {
        repo r = init();
        blob_store store(r);
        const auto first = store.add(blob_type::data, data);
        const auto second = store.add(blob_type::data, data);
        EXPECT_TRUE(first.stored);
        EXPECT_FALSE(second.stored);
        EXPECT_EQ(first.id, second.id);
        store.flush();
        EXPECT_EQ(store.stats().blobs_new, 1u);
        EXPECT_EQ(store.stats().blobs_known, 1u);
    }
    const auto packs = objects("data/");
    const auto indexes = objects("index/");
    {
        // A later backup finds it through the index and uploads nothing.
        repo r = open();
        r.load_index();
        blob_store store(r);
        EXPECT_FALSE(store.add(blob_type::data, data).stored);
        store.flush();
        EXPECT_EQ(store.stats().packs_written, 0u);
    }
    EXPECT_EQ(objects("data/"), packs);
    EXPECT_EQ(objects("index/"), indexes);
}

TEST_F(blob_store_test, ManyBlobsFromSeveralThreads) {
    constexpr int threads = 4;
    constexpr int per_thread = 300;
    std::map<object_id, std::vector<std::byte>> expected;
    std::mutex expected_mutex;
    {
        repo r = init();
        blob_store store(r, {.max_uploads = 2, .packs_per_index = 3});
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                for (int i = 0; i < per_thread; ++i) {
                    // Every thread also adds a shared set (the same seeds), racing to store them.
                    const bool shared = i % 3 == 0;
                    const std::uint64_t seed = shared ? 1000000u + static_cast<std::uint64_t>(i)
                                                      : static_cast<std::uint64_t>(t * 10000 + i);
                    const std::size_t size = test_data::prng(seed).below(6000);
                    auto data = seed % 2 ? test_data::text_stream(size, seed)
                                         : test_data::random_stream(size, seed);
                    const auto added = store.add(blob_type::data, data);
                    std::lock_guard lock(expected_mutex);
                    expected.emplace(added.id, std::move(data));
                }
            });
        }
        workers.clear();
        store.flush();
        const auto stats = store.stats();
        EXPECT_EQ(stats.blobs_new, expected.size());
        EXPECT_EQ(stats.blobs_new + stats.blobs_known, std::uint64_t{threads * per_thread});
        EXPECT_GT(stats.packs_written, 10u);
        EXPECT_EQ(stats.packs_written, objects("data/").size());
    }
    // Every blob stored exactly once: the indexes together hold each id once.
    repo r = open();
    std::size_t records = 0;
    auto codec = r.codecs().borrow();
    for (const object_id& index : list_indexes(r.storage()))
        for (const auto& pack : read_index(r.storage(), codec->objects(), index))
            records += pack.records.size();
    EXPECT_EQ(records, expected.size());

    r.load_index();
    EXPECT_EQ(r.index().blob_count(), expected.size());
    // Reads are thread-safe too.
    std::vector<std::jthread> readers;
    std::atomic<std::size_t> verified = 0;
    for (int t = 0; t < threads; ++t)
        readers.emplace_back([&, t] {
            std::size_t i = 0;
            for (const auto& [id, data] : expected)
                if (i++ % threads == static_cast<std::size_t>(t)) {
                    EXPECT_EQ(r.read_blob(id), data);
                    ++verified;
                }
        });
    readers.clear();
    EXPECT_EQ(verified, expected.size());
}

TEST_F(blob_store_test, ThreadsRacingWithTheSameBlobsStoreEachOnce) {
    std::vector<std::vector<std::byte>> blobs;
    for (std::uint64_t i = 0; i < 100; ++i) blobs.push_back(test_data::random_stream(2000, i));
    repo r = init();
    blob_store store(r);
    std::atomic<int> stored = 0;
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < 4; ++t)
            workers.emplace_back([&] {
                for (const auto& blob : blobs)
                    if (store.add(blob_type::data, blob).stored) ++stored;
            });
    }
    store.flush();
    EXPECT_EQ(stored, 100);
    EXPECT_EQ(store.stats().blobs_new, 100u);
    EXPECT_EQ(store.stats().blobs_known, 300u);
    r.load_index();
    EXPECT_EQ(r.index().blob_count(), 100u);
}

TEST_F(blob_store_test, AStorageFailureStopsTheStore) {
    repo r = init();
    // A file where the data/ directory belongs: every pack upload fails.
    std::filesystem::create_directories(dir());
    { std::ofstream(file_of("data")) << "in the way"; }
    blob_store store(r);
    bool failed = false;
    for (std::uint64_t i = 0; i < 100 && !failed; ++i) {
        try {
            store.add(blob_type::data, test_data::random_stream(4000, i));
        } catch (const client::plugin_error& e) {
            failed = true;
            EXPECT_NE(std::string(e.what()).find("data/"), std::string::npos) << e.what();
        }
    }
    ASSERT_TRUE(failed);
    // Every later call says so, instead of silently dropping blobs.
    try {
        store.add(blob_type::data, test_data::random_stream(10, 12345));
        FAIL();
    } catch (const repository_error& e) {
        EXPECT_NE(std::string(e.what()).find("failed earlier"), std::string::npos) << e.what();
    }
    EXPECT_THROW(store.flush(), repository_error);
}

TEST_F(blob_store_test, CompressesOnlyWhenItPays) {
    repo r = init();
    blob_store store(r);
    const auto text = test_data::text_stream(8000, 3);
    const auto noise = test_data::random_stream(8000, 3);
    const object_id text_id = store.add(blob_type::data, text).id;
    const object_id noise_id = store.add(blob_type::data, noise).id;
    store.flush();
    r.load_index();
    EXPECT_EQ(r.index().find(text_id)->record.compression, blob_encoding::zstd);
    EXPECT_LT(r.index().find(text_id)->record.stored_length, 8000u / 2);
    EXPECT_EQ(r.index().find(noise_id)->record.compression, blob_encoding::raw);
    EXPECT_EQ(r.index().find(noise_id)->record.stored_length, 8000u + 28);
}

TEST_F(blob_store_test, UnknownBlobIsAClearError) {
    repo r = init();
    r.load_index();
    try {
        r.read_blob(object_id::of_content({}));
        FAIL();
    } catch (const repository_error& e) {
        EXPECT_NE(std::string(e.what()).find("is not in the index of " + location()),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace holdfast::repository::testing
