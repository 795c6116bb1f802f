// Crash safety: `holdfast backup` killed with SIGKILL at random moments. After every kill
// the repository must pass `check`, every snapshot saved before must restore bit for bit,
// and the next backup must reuse the packs the killed one uploaded.
#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

namespace holdfast::pipeline::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::uint64_t stream_size = 8 * 1024 * 1024;
constexpr int required_kills = 20;
constexpr int max_rounds = 40;

nlohmann::json result_of(const std::string& out) {
    std::istringstream lines(out);
    std::string line;
    nlohmann::json result;
    while (std::getline(lines, line)) {
        auto parsed = nlohmann::json::parse(line, nullptr, false);
        if (parsed.is_object() && parsed.value("type", "") == "result") result = std::move(parsed);
    }
    return result;
}

class crash_test : public cli_test {
protected:
    // Snapshot ids in the repository that `known` does not hold yet.
    std::vector<std::string> new_snapshots(const std::map<std::string, std::uint64_t>& known) const {
        std::vector<std::string> ids;
        for (const auto& entry : fs::directory_iterator(repo() / "snapshots")) {
            const auto id = entry.path().filename().string();
            if (entry.is_regular_file() && id.size() == 64 && !known.contains(id)) ids.push_back(id);
        }
        return ids;
    }
};

TEST_F(crash_test, SigkillAtRandomMomentsLeavesACheckableRepositoryAndEveryEarlierSnapshot) {
    const auto input = dir() / "stream";
    write_config("  - name: db\n    engine: exec\n    settings:\n      backup_command: [\"cat\", " + quoted(input) +
                 "]\n");
    // Small chunks and packs: a backup writes dozens of objects, so kills land between
    // and inside many writes, not only before the first or after the last.
    ok({"init", "--kdf-n", "1024", "--chunk-min", "16K", "--chunk-avg", "64K", "--chunk-max", "256K", "--pack-size",
        "256K"});

    // How long a whole backup takes here (sanitizer builds and busy machines are slower):
    // the kill moments are spread over it.
    write_test_data(input, stream_size, 1000);
    auto started = std::chrono::steady_clock::now();
    const auto first = result_of(ok({"backup", "db", "--json"}).out);
    const auto full = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::map<std::string, std::uint64_t> seed_of{{first.at("snapshot").get<std::string>(), 1000}};

    std::mt19937_64 random(std::random_device{}());
    // The kill moments are spread over the first backup's time; when a backup finishes
    // before its kill (the machine got faster, the first backup was slowed by a busy
    // moment), the window narrows, so the rounds still end in enough kills.
    long window = std::max<long>(10, full.count());
    int kills = 0;
    int reuses = 0;
    for (int round = 1; round <= max_rounds && kills < required_kills; ++round) {
        const std::uint64_t seed = 1000 + static_cast<std::uint64_t>(round);
        write_test_data(input, stream_size, seed);
        const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<long>(5, window)(random));
        SCOPED_TRACE("round " + std::to_string(round) + ", killed after " + std::to_string(delay.count()) + " ms");

        const auto attempt = run_killed_after({"backup", "db", "--json"}, delay);
        if (attempt.exit_code != 0) {
            ASSERT_EQ(attempt.exit_code, 128 + 9) << attempt.err;
            ++kills;
        } else {
            window = std::max<long>(10, window * 3 / 4);
        }
        // A snapshot is saved last, whole or not at all: a kill after it was saved (before
        // the process exited) leaves a complete one.
        const auto added = new_snapshots(seed_of);
        ASSERT_LE(added.size(), 1u);
        if (attempt.exit_code == 0) {
            ASSERT_EQ(added.size(), 1u);
        }
        for (const auto& id : added) seed_of[id] = seed;

        const auto check = run({"check"});
        ASSERT_EQ(check.exit_code, 0) << check.out << check.err;

        for (const auto& [id, snapshot_seed] : seed_of) {
            const auto expected = dir() / ("expected-" + std::to_string(snapshot_seed));
            const auto restored = dir() / "restored";
            if (!fs::exists(expected)) write_test_data(expected, stream_size, snapshot_seed);
            ok({"dump", id, "stdout", "--output", restored.string()});
            ASSERT_TRUE(same_content(expected, restored)) << "snapshot " << id;
        }

        if (added.size() == 1) continue;
        // The same data again, to completion: whatever the killed backup uploaded is
        // reused (recovered from the orphan packs), not stored twice.
        const auto unindexed = nlohmann::json::parse(ok({"stats", "--json"}).out).at("unindexed_packs").get<int>();
        const auto again = result_of(ok({"backup", "db", "--json"}).out);
        seed_of[again.at("snapshot").get<std::string>()] = seed;
        if (unindexed > 0) {
            EXPECT_LT(again.at("bytes_new").get<std::uint64_t>(), stream_size)
                << unindexed << " packs of the killed backup were not reused";
            ++reuses;
        }
    }
    std::cout << kills << " kills (a whole backup took " << full.count() << " ms), " << reuses
              << " backups reused a killed one's packs, " << seed_of.size() << " snapshots restored after each\n";
    EXPECT_GE(kills, required_kills);
    EXPECT_GT(reuses, 0) << "no kill landed after the first pack was written";
    ok({"check", "--read-data"});
}

}  // namespace
}  // namespace holdfast::pipeline::testing
