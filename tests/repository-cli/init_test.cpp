// holdfast init, and how every command finds (or fails to find) a repository.
#include "cli_repository_fixture.hpp"

namespace holdfast::cli_testing {
namespace {

namespace fs = std::filesystem;
using init_test = repository_cli_test;

TEST_F(init_test, CreatesARepositoryThatListsNoSnapshots) {
    auto r = run({"init", "--repo", "repo", "--kdf-n", fast_kdf});  // relative: from the working directory
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find("created repository at " + repo_dir().string()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("aes-256-gcm"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(repo_dir() / "config"));

    r = run_repo({"snapshots"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out, "no snapshots\n");
    r = run_repo({"snapshots", "--json"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(parse_json(r), nlohmann::json::array());
}

TEST_F(init_test, ReportsWhatItMadeAsJson) {
    auto r = run({"init", "--repo", "file://" + repo_dir().string(), "--kdf-n", fast_kdf, "--chunk-min", "16K",
                  "--chunk-avg", "64KiB", "--chunk-max", "256K", "--compression-level", "3", "--pack-size", "4M",
                  "--json"});
    ASSERT_TRUE(exited(r, 0));
    auto doc = parse_json(r);
    EXPECT_EQ(doc.at("location"), repo_dir().string());
    EXPECT_EQ(doc.at("encryption"), "aes-256-gcm");
    EXPECT_EQ(doc.at("id").get<std::string>().size(), 64u);
    EXPECT_EQ(doc.at("key").get<std::string>().size(), 64u);
    EXPECT_EQ(doc.at("chunk_min"), 16 * 1024);
    EXPECT_EQ(doc.at("chunk_avg"), 64 * 1024);
    EXPECT_EQ(doc.at("chunk_max"), 256 * 1024);
    EXPECT_EQ(doc.at("compression_level"), 3);
    EXPECT_EQ(doc.at("pack_size"), 4 * 1024 * 1024);
}

TEST_F(init_test, RefusesAnExistingRepository) {
    init();
    const auto before = files_under("");
    auto r = run({"init", "--repo", repo_dir().string(), "--kdf-n", fast_kdf});
    ASSERT_TRUE(exited(r, 1));
    EXPECT_EQ(r.err, "holdfast: a repository already exists at " + repo_dir().string() +
                         "; use it, or choose another location for a new one\n");
    EXPECT_EQ(files_under(""), before);
}

TEST_F(init_test, RefusesBadParametersBeforeCreatingAnything) {
    auto r = run({"init", "--repo", repo_dir().string(), "--pack-size", "12 apples"});
    ASSERT_TRUE(exited(r, 2));
    EXPECT_NE(r.err.find("--pack-size"), std::string::npos) << r.err;
    r = run({"init", "--repo", repo_dir().string(), "--encryption", "rot13"});
    ASSERT_TRUE(exited(r, 2));
    EXPECT_NE(r.err.find("--encryption must be aes-256-gcm or none"), std::string::npos) << r.err;
    r = run({"init", "--repo", repo_dir().string(), "--kdf-n", "1000"});
    ASSERT_TRUE(exited(r, 2));
    EXPECT_NE(r.err.find("--kdf-n must be a power of two"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(repo_dir()));
}

TEST_F(init_test, UnencryptedOnlyWhenAskedAndWarned) {
    auto opts = options();
    opts.env["HOLDFAST_PASSWORD"] = std::nullopt;  // an unencrypted repository needs none
    auto r = run({"init", "--repo", repo_dir().string(), "--encryption", "none"}, opts);
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.err.find("UNENCRYPTED"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("encryption   none"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(repo_dir() / "keys") && !fs::is_empty(repo_dir() / "keys"));

    r = run({"snapshots", "--repo", repo_dir().string()}, opts);
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out, "no snapshots\n");
    r = run({"key", "list", "--repo", repo_dir().string()}, opts);
    ASSERT_TRUE(exited(r, 1));
    EXPECT_NE(r.err.find("is not encrypted"), std::string::npos) << r.err;
}

TEST_F(init_test, NoLocationIsAUsageErrorNamingWhereToGiveIt) {
    auto r = run({"snapshots"});
    ASSERT_TRUE(exited(r, 2));
    EXPECT_NE(r.err.find("--repo"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("HOLDFAST_REPOSITORY"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("configuration"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST_F(init_test, LocationFromTheEnvironment) {
    auto opts = options();
    opts.env["HOLDFAST_REPOSITORY"] = repo_dir().string();
    auto r = run({"init", "--kdf-n", fast_kdf}, opts);
    ASSERT_TRUE(exited(r, 0));
    r = run({"snapshots"}, opts);
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out, "no snapshots\n");
}

TEST_F(init_test, NoRepositoryAtTheLocationIsAClearFailure) {
    auto r = run_repo({"snapshots"});
    ASSERT_TRUE(exited(r, 1));
    EXPECT_EQ(r.err, "holdfast: no repository at " + repo_dir().string() + "; create one with 'holdfast init'\n");
    EXPECT_FALSE(fs::exists(repo_dir())) << "only init creates the directory";

    fs::create_directories(repo_dir());  // a directory, but not a repository
    r = run_repo({"stats"});
    ASSERT_TRUE(exited(r, 1));
    EXPECT_EQ(r.err, "holdfast: no repository at " + repo_dir().string() + "; create one with 'holdfast init'\n");
}

TEST_F(init_test, WrongPasswordFailsNamingWhereItCameFrom) {
    init();
    auto opts = options();
    opts.env["HOLDFAST_PASSWORD"] = "not the password";
    auto r = run({"snapshots", "--repo", repo_dir().string()}, opts);
    ASSERT_TRUE(exited(r, 1));
    EXPECT_EQ(r.err,
              "holdfast: wrong password: no key slot of this repository opens with it (the password came from "
              "HOLDFAST_PASSWORD)\n");
}

TEST_F(init_test, EveryCommandHasHelp) {
    for (std::vector<std::string> command : std::vector<std::vector<std::string>>{
             {"init"}, {"snapshots"}, {"stats"}, {"unlock"}, {"key", "list"}, {"key", "add"}, {"key", "remove"},
             {"key", "passwd"}}) {
        command.push_back("--help");
        auto r = run(command);
        ASSERT_TRUE(exited(r, 0)) << command[0];
        EXPECT_EQ(r.out.rfind("Usage: holdfast " + command[0], 0), 0u) << r.out;
        EXPECT_NE(r.out.find("--repo"), std::string::npos) << r.out;
    }
    auto r = run({"key", "--help"});
    ASSERT_TRUE(exited(r, 0));
    for (const char* sub : {"list", "add", "remove", "passwd"}) EXPECT_NE(r.out.find(sub), std::string::npos) << r.out;
}

}  // namespace
}  // namespace holdfast::cli_testing
