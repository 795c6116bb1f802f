// holdfast unlock, and what a lock held by someone else does to the other commands.
#include "cli_repository_fixture.hpp"

#include "repository/crypto.hpp"
#include "repository/utc_time.hpp"

#include <chrono>
#include <fstream>

namespace holdfast::cli_testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class planted_locks : public repository_cli_test {
protected:
    // A lock object as repository_lock.cpp writes it, named by the SHA-256 of its bytes,
    // last refreshed `age` ago. Returns its id (hex).
    std::string plant_lock(bool exclusive, std::chrono::seconds age, std::int64_t pid) const {
        const auto refreshed = repository::utc_now() - age;
        const nlohmann::json doc = {{"exclusive", exclusive},
                                    {"host", "otherhost"},
                                    {"pid", pid},
                                    {"user", "someone"},
                                    {"command", exclusive ? "holdfast prune" : "holdfast backup"},
                                    {"created", repository::format_utc(refreshed - 10s)},
                                    {"refreshed", repository::format_utc(refreshed)},
                                    {"nonce", repository::to_hex(repository::random_bytes(8))}};
        const std::string text = doc.dump();
        const auto id = repository::object_id::of_content(std::as_bytes(std::span(text.data(), text.size()))).hex();
        fs::create_directories(repo_dir() / "locks");
        std::ofstream(repo_dir() / "locks" / id, std::ios::binary) << text;
        return id;
    }
};

TEST_F(planted_locks, RemovesStaleLocksAndKeepsLiveOnes) {
    init();
    const auto stale = plant_lock(false, 1h, 4242);
    const auto live = plant_lock(true, 5s, 4343);

    auto r = run_repo({"unlock"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find("removed locks/" + stale), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pid 4242 on host otherhost"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("kept live exclusive lock of 'holdfast prune' (pid 4343"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(repo_dir() / "locks" / stale));
    EXPECT_TRUE(fs::exists(repo_dir() / "locks" / live));

    r = run_repo({"unlock"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find("no stale locks to remove"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(repo_dir() / "locks" / live));
}

TEST_F(planted_locks, AllRemovesLiveLocksAfterListingThem) {
    init();
    const auto stale = plant_lock(false, 1h, 4242);
    const auto live = plant_lock(true, 5s, 4343);
    auto r = run_repo({"unlock", "--all"});
    ASSERT_TRUE(exited(r, 0));
    const auto listed = r.out.find("found live exclusive lock of 'holdfast prune'");
    const auto removed = r.out.find("removed locks/" + live);
    ASSERT_NE(listed, std::string::npos) << r.out;
    ASSERT_NE(removed, std::string::npos) << r.out;
    EXPECT_LT(listed, removed);
    EXPECT_NE(r.out.find("removed locks/" + stale), std::string::npos) << r.out;
    EXPECT_TRUE(files_under("locks").empty());
}

TEST_F(planted_locks, JsonSaysWhatWasRemovedAndKept) {
    init();
    const auto stale = plant_lock(true, 2h, 1);
    const auto live = plant_lock(false, 1s, 2);
    auto r = run_repo({"unlock", "--json"});
    ASSERT_TRUE(exited(r, 0));
    auto doc = parse_json(r);
    ASSERT_EQ(doc.at("removed").size(), 1u) << doc.dump();
    ASSERT_EQ(doc.at("kept").size(), 1u) << doc.dump();
    EXPECT_EQ(doc.at("removed")[0].at("id"), stale);
    EXPECT_TRUE(doc.at("removed")[0].at("stale").get<bool>());
    EXPECT_EQ(doc.at("kept")[0].at("id"), live);
    EXPECT_EQ(doc.at("kept")[0].at("pid"), 2);
}

TEST_F(planted_locks, AnExclusiveLockStopsReadersWithExitCode4) {
    init();
    plant_lock(true, 5s, 4343);
    auto r = run_repo({"snapshots"});
    ASSERT_TRUE(exited(r, 4));
    EXPECT_NE(r.err.find("is locked"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("holdfast prune"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    r = run_repo({"stats"});
    ASSERT_TRUE(exited(r, 4));

    // A stale shared lock, though, is reported and ignored by readers.
    ASSERT_TRUE(exited(run_repo({"unlock", "--all"}), 0));
    plant_lock(false, 1h, 4242);
    r = run_repo({"snapshots"});
    ASSERT_TRUE(exited(r, 0));
}

}  // namespace
}  // namespace holdfast::cli_testing
