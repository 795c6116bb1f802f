// A backup killed after uploading packs but before writing their index: the next run finds
// the packs and reuses their blobs without uploading them again.
#include "repository_fixture.hpp"

#include "repository/blob_store.hpp"
#include "repository/orphan_recovery.hpp"
#include "sample_data.hpp"

namespace holdfast::repository::testing {
namespace {

using orphan_test = repository_test;

std::vector<std::vector<std::byte>> sample_blobs() {
    std::vector<std::vector<std::byte>> blobs;
    for (std::uint64_t i = 0; i < 40; ++i) blobs.push_back(test_data::random_stream(3000, i));
    return blobs;
}

TEST_F(orphan_test, PacksWithoutAnIndexAreFoundAndReused) {
    const auto blobs = sample_blobs();
    std::vector<object_id> ids;
    std::size_t uploaded = 0;
    {
        repo r = init();
        // An index only after 1000 packs, and no flush: as if killed mid-backup.
        blob_store store(r, {.max_uploads = 1, .packs_per_index = 1000});
        for (const auto& blob : blobs) ids.push_back(store.add(blob_type::data, blob).id);
        uploaded = store.stats().packs_written;
    }
    ASSERT_GT(uploaded, 1u);
    EXPECT_EQ(objects("data/").size(), uploaded);
    EXPECT_TRUE(objects("index/").empty());
    const auto packs_before = objects("data/");

    repo r = open();
    r.load_index();
    EXPECT_EQ(r.index().blob_count(), 0u);
    const auto result = recover_orphan_packs(r);
    EXPECT_EQ(result.packs, uploaded);
    EXPECT_TRUE(result.damaged.empty());
    ASSERT_TRUE(result.index);
    EXPECT_EQ(r.index().blob_count(), result.blobs);
    EXPECT_GT(result.blobs, 0u);
    for (std::size_t i = 0; i < result.blobs; ++i) EXPECT_EQ(r.read_blob(ids[i]), blobs[i]);

    // The next backup stores only what never reached storage.
    {
        blob_store store(r);
        std::size_t reused = 0;
        for (const auto& blob : blobs)
            if (!store.add(blob_type::data, blob).stored) ++reused;
        store.flush();
        EXPECT_EQ(reused, result.blobs);
        EXPECT_EQ(store.stats().blobs_new, blobs.size() - result.blobs);
    }
    const auto packs_after = objects("data/");
    for (const auto& pack : packs_before) EXPECT_TRUE(packs_after.contains(pack));

    // The recovered packs now have an index of their own: nothing is an orphan any more.
    repo again = open();
    again.load_index();
    EXPECT_EQ(again.index().blob_count(), blobs.size());
    EXPECT_EQ(recover_orphan_packs(again).packs, 0u);
    for (std::size_t i = 0; i < blobs.size(); ++i) EXPECT_EQ(again.read_blob(ids[i]), blobs[i]);
}

TEST_F(orphan_test, DamagedOrphansAreSkippedAndReported) {
    {
        repo r = init();
        blob_store store(r, {.max_uploads = 1, .packs_per_index = 1000});
        for (const auto& blob : sample_blobs()) store.add(blob_type::data, blob);
    }
    const auto packs = objects("data/");
    ASSERT_GE(packs.size(), 2u);
    // Cut the trailer off one of them.
    const auto victim = file_of(*packs.begin());
    std::filesystem::resize_file(victim, std::filesystem::file_size(victim) - 4);

    repo r = open();
    r.load_index();
    const auto result = recover_orphan_packs(r, false);
    EXPECT_EQ(result.damaged.size(), 1u);
    EXPECT_EQ(result.packs, packs.size() - 1);
    EXPECT_FALSE(result.index);
    EXPECT_TRUE(objects("index/").empty());
}

}  // namespace
}  // namespace holdfast::repository::testing
