// holdfast stats: totals of an empty repository and of one with snapshots.
#include "cli_repository_fixture.hpp"

namespace holdfast::cli_testing {
namespace {

using stats_test = repository_cli_test;

TEST_F(stats_test, EmptyRepository) {
    init();
    auto r = run_repo({"stats"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find("snapshots      0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("packs          0, 0 B"), std::string::npos) << r.out;

    r = run_repo({"stats", "--json"});
    ASSERT_TRUE(exited(r, 0));
    auto doc = parse_json(r);
    EXPECT_EQ(doc.at("snapshots"), 0);
    EXPECT_EQ(doc.at("packs"), 0);
    EXPECT_EQ(doc.at("blobs"), 0);
    EXPECT_EQ(doc.at("sources"), nlohmann::json::array());
    EXPECT_TRUE(doc.at("deduplication_ratio").is_null());
    EXPECT_EQ(doc.at("location"), repo_dir().string());
}

TEST_F(stats_test, CountsSnapshotsSourcesBlobsAndDeduplication) {
    init();
    // Distinct 4 KiB pieces (each blob is one piece), then the same data again: the
    // second snapshot adds no blob.
    std::string data;
    for (int i = 0; i < 10; ++i) data += std::string(4096, static_cast<char>('a' + i));
    add_snapshot("app", {}, data);
    add_snapshot("app", {}, data);
    add_snapshot("crm", {}, data.substr(0, 8192));

    auto r = run_repo({"stats", "--json"});
    ASSERT_TRUE(exited(r, 0));
    auto doc = parse_json(r);
    EXPECT_EQ(doc.at("snapshots"), 3);
    EXPECT_EQ(doc.at("snapshot_bytes"), 2 * 40960 + 8192);
    EXPECT_EQ(doc.at("data_blobs"), 10);
    EXPECT_EQ(doc.at("blobs"), 10);
    EXPECT_EQ(doc.at("plaintext_bytes"), 40960);
    EXPECT_GT(doc.at("stored_bytes").get<std::uint64_t>(), 0u);
    EXPECT_LT(doc.at("stored_bytes").get<std::uint64_t>(), 40960u) << "repeated bytes compress";
    EXPECT_GE(doc.at("packs").get<int>(), 1);
    EXPECT_EQ(doc.at("unindexed_packs"), 0);
    EXPECT_GE(doc.at("pack_bytes").get<std::uint64_t>(), doc.at("stored_bytes").get<std::uint64_t>());
    EXPECT_DOUBLE_EQ(doc.at("deduplication_ratio").get<double>(), (2.0 * 40960 + 8192) / 40960);
    EXPECT_GT(doc.at("compression_ratio").get<double>(), 1.0);
    ASSERT_EQ(doc.at("sources").size(), 2u);
    EXPECT_EQ(doc.at("sources")[0].at("source"), "app");
    EXPECT_EQ(doc.at("sources")[0].at("snapshots"), 2);
    EXPECT_EQ(doc.at("sources")[1].at("source"), "crm");
    EXPECT_EQ(doc.at("sources")[1].at("snapshots"), 1);

    r = run_repo({"stats"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find("3 of 2 sources"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("deduplication  2.20x"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("SOURCE"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace holdfast::cli_testing
