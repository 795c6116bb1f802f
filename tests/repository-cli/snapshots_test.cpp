// holdfast snapshots: the table, the filters, the JSON.
#include "cli_repository_fixture.hpp"

namespace holdfast::cli_testing {
namespace {

using snapshots_test = repository_cli_test;

TEST_F(snapshots_test, ListsEverySnapshotOldestFirst) {
    init();
    const auto app = add_snapshot("app", {"nightly"}, std::string(10000, 'a'));
    const auto crm = add_snapshot("crm", {"nightly", "manual"}, std::string(3000, 'c'));

    auto r = run_repo({"snapshots"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out.rfind("ID ", 0), 0u) << r.out;
    for (const char* column : {"TIME", "HOST", "SOURCE", "ENGINE", "SIZE", "TAGS"})
        EXPECT_NE(r.out.find(column), std::string::npos) << column << " missing from:\n" << r.out;
    const auto app_at = r.out.find(app.short_hex());
    const auto crm_at = r.out.find(crm.short_hex());
    ASSERT_NE(app_at, std::string::npos) << r.out;
    ASSERT_NE(crm_at, std::string::npos) << r.out;
    EXPECT_LT(app_at, crm_at);
    EXPECT_NE(r.out.find("9.77 KiB"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("nightly,manual"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("testhost"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2 snapshots"), std::string::npos) << r.out;
}

TEST_F(snapshots_test, FiltersBySourceAndTag) {
    init();
    const auto app = add_snapshot("app", {"nightly"}, "one");
    const auto crm = add_snapshot("crm", {"nightly", "manual"}, "two");

    auto r = run_repo({"snapshots", "--source", "crm", "--json"});
    ASSERT_TRUE(exited(r, 0));
    auto list = parse_json(r);
    ASSERT_EQ(list.size(), 1u) << list.dump();
    EXPECT_EQ(list[0].at("id"), crm.hex());

    r = run_repo({"snapshots", "--tag", "nightly", "--tag", "manual", "--json"});
    ASSERT_TRUE(exited(r, 0));
    list = parse_json(r);
    ASSERT_EQ(list.size(), 1u) << list.dump();
    EXPECT_EQ(list[0].at("id"), crm.hex());

    r = run_repo({"snapshots", "--tag", "nightly", "--json"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(parse_json(r).size(), 2u);

    r = run_repo({"snapshots", "--source", "nothing"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out, "no snapshots match\n");
    (void)app;
}

TEST_F(snapshots_test, JsonHasEveryField) {
    init();
    const auto id = add_snapshot("app", {"t1"}, std::string(5000, 'x'));
    auto r = run_repo({"snapshots", "--json"});
    ASSERT_TRUE(exited(r, 0));
    auto list = parse_json(r);
    ASSERT_EQ(list.size(), 1u);
    const auto& s = list[0];
    EXPECT_EQ(s.at("id"), id.hex());
    EXPECT_EQ(s.at("short_id"), id.short_hex());
    EXPECT_EQ(s.at("host"), "testhost");
    EXPECT_EQ(s.at("user"), "tester");
    EXPECT_EQ(s.at("source"), "app");
    EXPECT_EQ(s.at("engine"), "sqlite");
    EXPECT_EQ(s.at("tags"), nlohmann::json::array({"t1"}));
    EXPECT_EQ(s.at("size"), 5000);
    EXPECT_EQ(s.at("time").get<std::string>().back(), 'Z');
    ASSERT_EQ(s.at("streams").size(), 1u);
    EXPECT_EQ(s.at("streams")[0].at("name"), "database");
}

TEST_F(snapshots_test, TakesAndReleasesASharedLock) {
    init();
    auto r = run_repo({"snapshots"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_TRUE(files_under("locks").empty()) << "the lock is released on exit";
}

}  // namespace
}  // namespace holdfast::cli_testing
