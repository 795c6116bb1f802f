// check, forget and prune through the executable: exit codes, what they print, what they
// change. Repositories and snapshots are made through the C++ API, so no engine is needed.
#include "maintenance_fixture.hpp"

#include "repository/blob_store.hpp"
#include "repository/crypto.hpp"
#include "repository/object_names.hpp"
#include "repository/repository_lock.hpp"
#include "repository/snapshots.hpp"
#include "run_process.hpp"
#include "sample_data.hpp"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

namespace holdfast::maintenance::testing {
namespace {

namespace fs = std::filesystem;
using namespace repository;
using holdfast::testing::process_result;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* password = "correct horse";

::testing::AssertionResult exited(const process_result& r, int code) {
    if (r.exit_code == code) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "exit " << r.exit_code << " (expected " << code << ")\nstdout: " << r.out
                                         << "\nstderr: " << r.err;
}

class maintenance_cli_test : public repository::testing::repository_test {
protected:
    void SetUp() override {
        repository_test::SetUp();
        repo r = init(password);
        const auto base = test_data::random_stream(100'000, 1);
        for (int day = 0; day < 4; ++day)
            make_snapshot(r, {.time = at_hour(24 * day),
                              .streams = {{"db", edited(base, static_cast<std::size_t>(day) * 20'000, 20'000,
                                                        50 + static_cast<std::uint64_t>(day))}}});
    }

    process_result run(std::vector<std::string> args) const {
        holdfast::testing::process_options o;
        for (const char* name : {"HOLDFAST_CONFIG", "HOLDFAST_REPOSITORY", "HOLDFAST_LOG", "XDG_CONFIG_HOME"})
            o.env[name] = std::nullopt;
        o.env["HOLDFAST_PLUGIN_PATH"] = HOLDFAST_TEST_PLUGIN_DIR;
        o.env["HOLDFAST_PASSWORD"] = password;
        o.env["HOME"] = dir().string();
        o.working_directory = dir().string();
        args.push_back("--repo");
        args.push_back(location());
        return holdfast::testing::run_holdfast(args, o);
    }

    // Every object with its size and modification time: changes if anything is touched.
    std::map<std::string, std::string> listing() const {
        std::map<std::string, std::string> out;
        for (const auto& entry : fs::recursive_directory_iterator(dir()))
            if (entry.is_regular_file())
                out[entry.path().string()] = std::to_string(entry.file_size()) + "@" +
                                             std::to_string(entry.last_write_time().time_since_epoch().count());
        return out;
    }

    void flip_a_bit(const std::string& key) const {
        std::fstream f(file_of(key), std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(100);
        char c = 0;
        f.get(c);
        f.seekp(100);
        f.put(static_cast<char>(c ^ 0x04));
    }

    std::string first(const std::string& prefix) const { return *objects(prefix).begin(); }
};

TEST_F(maintenance_cli_test, CheckOnACleanRepositoryExitsZero) {
    auto r = run({"check"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_THAT(r.out, HasSubstr("no problems found"));
    EXPECT_THAT(r.out, HasSubstr("4 snapshots"));
    r = run({"check", "--read-data", "--json"});
    ASSERT_TRUE(exited(r, 0));
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_TRUE(doc["ok"].get<bool>());
    EXPECT_EQ(doc["read_data"]["packs_read"], doc["packs"]);
    EXPECT_TRUE(doc["problems"].empty());
}

TEST_F(maintenance_cli_test, AFlippedBitIsNamedByReadData) {
    const std::string pack = first("data/");
    flip_a_bit(pack);
    ASSERT_TRUE(exited(run({"check"}), 0));  // same size: only reading finds it
    const auto r = run({"check", "--read-data"});
    ASSERT_TRUE(exited(r, 5));
    EXPECT_THAT(r.out, HasSubstr("problem: pack " + pack + " is corrupt"));
    EXPECT_THAT(r.out, HasSubstr("problems found"));
}

TEST_F(maintenance_cli_test, ADeletedPackAndATruncatedIndexAreNamed) {
    const std::string pack = first("data/");
    fs::remove(file_of(pack));
    auto r = run({"check"});
    ASSERT_TRUE(exited(r, 5));
    EXPECT_THAT(r.out, HasSubstr("problem: pack " + pack + " is missing"));

    const std::string index = first("index/");
    fs::resize_file(file_of(index), fs::file_size(file_of(index)) - 7);
    r = run({"check"});
    ASSERT_TRUE(exited(r, 5));
    EXPECT_THAT(r.out, HasSubstr("problem: " + index + " is corrupt"));
}

TEST_F(maintenance_cli_test, AnUnreferencedPackIsReportedButPasses) {
    {
        repo r = open(password);
        r.load_index();
        blob_store store(r, {.max_uploads = 1, .packs_per_index = 1000});
        for (std::uint64_t i = 0; i < 30; ++i) store.add(blob_type::data, test_data::random_stream(3000, 900 + i));
    }
    const auto r = run({"check", "--read-data"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_THAT(r.out, HasSubstr("is unreferenced (will be reused by the next backup or removed by prune)"));
    EXPECT_THAT(r.out, HasSubstr("no problems found"));
}

TEST_F(maintenance_cli_test, ASubsetIsReadAndCanBeRepeated) {
    const auto r = run({"check", "--read-data-subset", "50%", "--read-data-seed", "abc"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_THAT(r.out, HasSubstr("a 50.0% subset chosen with --read-data-seed 0000000000000abc"));
    EXPECT_EQ(run({"check", "--read-data-subset", "50%", "--read-data-seed", "abc"}).out, r.out);
    EXPECT_TRUE(exited(run({"check", "--read-data-subset", "0%"}), 2));
    EXPECT_TRUE(exited(run({"check", "--read-data-subset", "120%"}), 2));
}

TEST_F(maintenance_cli_test, ForgetNeedsAPolicy) {
    const auto before = listing();
    auto r = run({"forget"});
    ASSERT_TRUE(exited(r, 2));
    EXPECT_THAT(r.err, HasSubstr("forget needs a policy"));
    EXPECT_TRUE(exited(run({"forget", "--keep-last", "0"}), 2));
    EXPECT_TRUE(exited(run({"forget", "--keep-within", "7x"}), 2));
    EXPECT_EQ(listing(), before);
}

TEST_F(maintenance_cli_test, ForgetDryRunDeletesNothingAndSaysWhy) {
    const auto before = listing();
    const auto r = run({"forget", "--keep-last", "1", "--keep-daily", "2", "--dry-run"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(listing(), before);
    EXPECT_THAT(r.out, HasSubstr("source app: keeping 2 of 4 snapshots"));
    EXPECT_THAT(r.out, HasSubstr("last, daily 2026-11-24"));
    EXPECT_THAT(r.out, HasSubstr("daily 2026-11-23"));
    EXPECT_THAT(r.out, HasSubstr("would remove 2 snapshots (dry run: nothing was deleted)"));

    const auto json = run({"forget", "--keep-last", "1", "--dry-run", "--prune", "--json"});
    ASSERT_TRUE(exited(json, 0));
    const auto doc = nlohmann::json::parse(json.out);
    EXPECT_EQ(doc["groups"][0]["remove"].size(), 3u);
    EXPECT_TRUE(doc["prune"]["dry_run"].get<bool>());
    EXPECT_TRUE(doc["prune"]["changed"].get<bool>());
    EXPECT_EQ(listing(), before);
}

TEST_F(maintenance_cli_test, ForgetThenPruneShrinksTheRepositoryAndCheckPasses) {
    const std::uint64_t before = stored_bytes(*storage(), "data/");
    auto r = run({"forget", "--keep-last", "1", "--prune", "--max-repack-ratio", "0%"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_THAT(r.out, HasSubstr("removed 3 snapshots"));
    EXPECT_THAT(r.out, HasSubstr("freed "));
    EXPECT_EQ(objects("snapshots/").size(), 1u);
    EXPECT_LT(stored_bytes(*storage(), "data/"), before / 2);
    r = run({"check", "--read-data"});
    EXPECT_TRUE(exited(r, 0));
    EXPECT_THAT(r.out, Not(HasSubstr("note:")));
    r = run({"prune"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_THAT(r.out, HasSubstr("nothing to prune"));
}

TEST_F(maintenance_cli_test, PruneDryRunReportsBytesAndChangesNothing) {
    ASSERT_TRUE(exited(run({"forget", "--keep-last", "2"}), 0));
    const auto before = listing();
    const auto r = run({"prune", "--dry-run", "--json"});
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(listing(), before);
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_TRUE(doc["changed"].get<bool>());
    EXPECT_GT(doc["unused_bytes"].get<std::uint64_t>(), 0u);
    EXPECT_LT(doc["after"]["bytes"].get<std::uint64_t>(), doc["before"]["bytes"].get<std::uint64_t>());
}

TEST_F(maintenance_cli_test, PruneRefusesWhileALiveLockIsHeld) {
    {
        repo r = open(password);
        auto lock = repository_lock::acquire(r, lock_kind::shared, "holdfast backup");
        const auto refused = run({"prune"});
        ASSERT_TRUE(exited(refused, 4));
        EXPECT_THAT(refused.err, HasSubstr("shared lock of 'holdfast backup'"));
        // check only needs a shared lock: it runs alongside.
        EXPECT_TRUE(exited(run({"check"}), 0));
    }
    EXPECT_TRUE(exited(run({"prune"}), 0));
}

TEST_F(maintenance_cli_test, PruneRefusesAStaleLockAndSaysHowToRemoveIt) {
    const std::string stale = nlohmann::json{{"exclusive", false},
                                             {"host", "db9"},
                                             {"pid", 4242},
                                             {"user", "root"},
                                             {"command", "holdfast backup"},
                                             {"created", "2026-01-01T00:00:00.000000Z"},
                                             {"refreshed", "2026-01-01T00:00:00.000000Z"},
                                             {"nonce", "00"}}
                                  .dump();
    const auto bytes = std::as_bytes(std::span(stale.data(), stale.size()));
    const std::string key = names::lock(object_id::of_content(bytes));
    storage()->put(key, bytes);

    const auto refused = run({"prune"});
    ASSERT_TRUE(exited(refused, 4));
    EXPECT_THAT(refused.err, HasSubstr("has a stale shared lock of 'holdfast backup' (pid 4242 on host db9"));
    EXPECT_THAT(refused.err, HasSubstr("holdfast unlock"));
    EXPECT_TRUE(exited(run({"check"}), 0));  // shared lockers only warn about it
    fs::remove(file_of(key));
    EXPECT_TRUE(exited(run({"prune"}), 0));
}

}  // namespace
}  // namespace holdfast::maintenance::testing
