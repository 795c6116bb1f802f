// holdfast key list/add/remove/passwd: passwords come and go, the data never changes.
#include "cli_repository_fixture.hpp"

namespace holdfast::cli_testing {
namespace {

using key_test = repository_cli_test;

process_options with_password(process_options o, const std::string& pw) {
    o.env["HOLDFAST_PASSWORD"] = pw;
    return o;
}

TEST_F(key_test, AddListPasswdRemoveRewriteNoData) {
    init();
    add_snapshot("app", {}, std::string(20000, 'k'));
    const auto data_before = files_under("data");
    const auto index_before = files_under("index");
    const auto snapshots_before = files_under("snapshots");
    ASSERT_FALSE(data_before.empty());

    // key add: a second password opens the repository too.
    const auto second = write_secret_file("second", "second password\n");
    auto r = run_repo({"key", "add", "--new-password-file", second.string(), "--kdf-n", fast_kdf, "--json"});
    ASSERT_TRUE(exited(r, 0));
    const std::string added = parse_json(r).at("added");
    r = run({"snapshots", "--repo", repo_dir().string()}, with_password(options(), "second password"));
    ASSERT_TRUE(exited(r, 0));

    // key list: both, the one opened with marked current.
    r = run_repo({"key", "list", "--json"});
    ASSERT_TRUE(exited(r, 0));
    auto keys = parse_json(r);
    ASSERT_EQ(keys.size(), 2u) << keys.dump();
    std::string first;
    for (const auto& k : keys) {
        EXPECT_EQ(k.at("kdf").at("n"), 1024);
        if (k.at("id") == added) {
            EXPECT_FALSE(k.at("current").get<bool>());
        } else {
            EXPECT_TRUE(k.at("current").get<bool>());
            first = k.at("id");
        }
    }
    ASSERT_FALSE(first.empty());
    r = run_repo({"key", "list"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find(added.substr(0, 8)), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("scrypt N=1024"), std::string::npos) << r.out;

    // key passwd: the first password is replaced; the old one stops working.
    const auto third = write_secret_file("third", "third password");
    r = run_repo({"key", "passwd", "--new-password-file", third.string(), "--kdf-n", fast_kdf});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find("no data was rewritten"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(first.substr(0, 8)), std::string::npos) << r.out;
    r = run_repo({"snapshots"});
    ASSERT_TRUE(exited(r, 1));
    EXPECT_NE(r.err.find("wrong password"), std::string::npos) << r.err;
    r = run({"snapshots", "--repo", repo_dir().string()}, with_password(options(), "third password"));
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out.find("no snapshots"), std::string::npos) << "the snapshot is still there: " << r.out;

    // key remove (by prefix): the second password stops working.
    auto third_opts = with_password(options(), "third password");
    r = run({"key", "remove", "--repo", repo_dir().string(), added.substr(0, 10)}, third_opts);
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find("removed key " + added.substr(0, 8)), std::string::npos) << r.out;
    r = run({"snapshots", "--repo", repo_dir().string()}, with_password(options(), "second password"));
    ASSERT_TRUE(exited(r, 1));

    EXPECT_EQ(files_under("data"), data_before);
    EXPECT_EQ(files_under("index"), index_before);
    EXPECT_EQ(files_under("snapshots"), snapshots_before);
    EXPECT_EQ(files_under("keys").size(), 1u);
}

TEST_F(key_test, RefusesToRemoveTheLastKey) {
    init();
    auto r = run_repo({"key", "list", "--json"});
    ASSERT_TRUE(exited(r, 0));
    const std::string only = parse_json(r).at(0).at("id");
    for (bool force : {false, true}) {
        std::vector<std::string> args{"key", "remove", only};
        if (force) args.push_back("--force");
        r = run_repo(args);
        ASSERT_TRUE(exited(r, 1));
        EXPECT_NE(r.err.find("last key"), std::string::npos) << r.err;
    }
    EXPECT_EQ(files_under("keys").size(), 1u);
}

TEST_F(key_test, TheKeyInUseOnlyWithForce) {
    init();
    const auto second = write_secret_file("second", "second password");
    ASSERT_TRUE(exited(run_repo({"key", "add", "--new-password-file", second.string(), "--kdf-n", fast_kdf}), 0));
    auto r = run_repo({"key", "list", "--json"});
    std::string current;
    for (const auto& k : parse_json(r))
        if (k.at("current").get<bool>()) current = k.at("id");
    ASSERT_FALSE(current.empty());

    r = run_repo({"key", "remove", current});
    ASSERT_TRUE(exited(r, 2));
    EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
    EXPECT_EQ(files_under("keys").size(), 2u);

    r = run_repo({"key", "remove", current, "--force"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(files_under("keys").size(), 1u);
    r = run({"snapshots", "--repo", repo_dir().string()}, with_password(options(), "second password"));
    ASSERT_TRUE(exited(r, 0));
}

TEST_F(key_test, NewPasswordNeedsAFileOrATerminal) {
    init();
    auto r = run_repo({"key", "add"});
    ASSERT_TRUE(exited(r, 2));
    EXPECT_NE(r.err.find("--new-password-file"), std::string::npos) << r.err;
    r = run_repo({"key", "remove"});
    ASSERT_TRUE(exited(r, 2));
    r = run_repo({"key", "remove", "ffffffff"});
    ASSERT_TRUE(exited(r, 2));
    EXPECT_EQ(files_under("keys").size(), 1u);
}

}  // namespace
}  // namespace holdfast::cli_testing
