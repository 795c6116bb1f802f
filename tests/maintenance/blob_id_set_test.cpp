// The used-blob set prune keeps: exact membership, and the memory claim for 1M blobs.
#include "maintenance/blob_id_set.hpp"
#include "maintenance/pack_subset.hpp"

#include "sample_data.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace holdfast::maintenance {
namespace {

using repository::object_id;

object_id random_id(repository::test_data::prng& rng) {
    std::array<std::byte, 32> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
        const std::uint64_t word = rng.next();
        std::memcpy(bytes.data() + i, &word, 8);
    }
    return object_id(std::span<const std::byte, 32>(bytes));
}

TEST(blob_id_set, InsertsAndFindsExactly) {
    blob_id_set set;
    repository::test_data::prng rng(1);
    std::vector<object_id> ids;
    for (int i = 0; i < 5000; ++i) ids.push_back(random_id(rng));
    for (const auto& id : ids) EXPECT_TRUE(set.insert(id));
    for (const auto& id : ids) EXPECT_FALSE(set.insert(id));
    EXPECT_EQ(set.size(), ids.size());
    for (const auto& id : ids) EXPECT_TRUE(set.contains(id));
    for (int i = 0; i < 5000; ++i) EXPECT_FALSE(set.contains(random_id(rng)));
    // The all-zero id is a valid id too.
    EXPECT_FALSE(set.contains(object_id{}));
    EXPECT_TRUE(set.insert(object_id{}));
    EXPECT_TRUE(set.contains(object_id{}));
    EXPECT_EQ(set.size(), ids.size() + 1);
}

TEST(blob_id_set, AMillionBlobsStayWellUnder100MiB) {
    constexpr std::size_t count = 1'000'000;
    blob_id_set set(count);
    repository::test_data::prng rng(7);
    for (std::size_t i = 0; i < count; ++i) set.insert(random_id(rng));
    EXPECT_EQ(set.size(), count);
    EXPECT_LT(set.memory_bytes(), 48u * 1024 * 1024) << set.memory_bytes();
    repository::test_data::prng again(7);
    for (std::size_t i = 0; i < 1000; ++i) EXPECT_TRUE(set.contains(random_id(again)));
}

TEST(pack_subset, ChoosesAShareDeterministicallyBySeed) {
    repository::test_data::prng rng(3);
    std::vector<object_id> packs;
    for (int i = 0; i < 200; ++i) packs.push_back(random_id(rng));
    const auto a = choose_pack_subset(packs, 0.1, 42);
    EXPECT_EQ(a.size(), 20u);
    EXPECT_EQ(choose_pack_subset(packs, 0.1, 42), a);
    EXPECT_NE(choose_pack_subset(packs, 0.1, 43), a);
    EXPECT_EQ(choose_pack_subset(packs, 0.001, 42).size(), 1u);  // at least one
    EXPECT_EQ(choose_pack_subset(packs, 1.0, 42).size(), packs.size());
    EXPECT_TRUE(choose_pack_subset({}, 0.5, 1).empty());
}

}  // namespace
}  // namespace holdfast::maintenance
