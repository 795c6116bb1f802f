// `holdfast backup` and `holdfast dump` end to end through the exec engine: bit-identical
// round trips, deduplication, flat memory, failures and interruptions.
#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace holdfast::pipeline::testing {
namespace {

namespace fs = std::filesystem;

std::string exec_source(const std::string& name, const fs::path& file) {
    return "  - name: " + name + "\n    engine: exec\n    settings:\n      backup_command: [\"cat\", " + quoted(file) +
           "]\n";
}

using backup_cli = cli_test;

// --json output: progress lines, then one result line, which is returned.
nlohmann::json result_line(const std::string& out) {
    std::istringstream lines(out);
    std::string line;
    nlohmann::json result;
    while (std::getline(lines, line)) {
        const auto parsed = nlohmann::json::parse(line);
        EXPECT_TRUE(parsed["type"] == "progress" || parsed["type"] == "result") << line;
        if (parsed["type"] == "result") result = parsed;
    }
    EXPECT_TRUE(result.is_object()) << out;
    return result;
}

TEST_F(backup_cli, ChunkBoundarySizesRoundTripThroughExecAndDump) {
    // The repository's default chunker: min 64 KiB, average 256 KiB, max 2 MiB.
    const std::vector<std::uint64_t> sizes{0, 1, 64 * 1024, 256 * 1024, 2 * 1024 * 1024, 2 * 1024 * 1024 + 1};
    std::string sources;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        write_random_data(dir() / ("in" + std::to_string(i)), sizes[i], i + 1);
        sources += exec_source("d" + std::to_string(i), dir() / ("in" + std::to_string(i)));
    }
    write_config(sources);
    init_repository();
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        SCOPED_TRACE(sizes[i]);
        const std::string n = std::to_string(i);
        const auto backup = ok({"backup", "d" + n});
        EXPECT_NE(backup.out.find("snapshot "), std::string::npos) << backup.out;
        ok({"dump", "latest", "stdout", "--source", "d" + n, "--output", (dir() / ("out" + n)).string()});
        EXPECT_TRUE(same_content(dir() / ("in" + n), dir() / ("out" + n)));
    }
    // dump to stdout (a pipe here) gives the same bytes.
    const auto piped = ok({"dump", "latest", "stdout", "--source", "d1"});
    EXPECT_EQ(piped.out, file_content(dir() / "in1"));
    // With several sources, 'latest' alone is ambiguous.
    EXPECT_EQ(run({"dump", "latest", "stdout"}).exit_code, 2);
    EXPECT_EQ(run({"dump", "latest", "nosuchstream", "--source", "d1"}).exit_code, 2);
}

TEST_F(backup_cli, LargeStreamRoundTripsDedupsAndKeepsMemoryFlat) {
    constexpr std::uint64_t size = 200ull * 1024 * 1024 + 12345;
    const auto input = dir() / "big";
    write_test_data(input, size, 42);
    write_config(exec_source("big", input));
    init_repository();

    const auto first = ok({"backup", "big", "--json"});
    rusage usage{};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    const auto peak_mib = usage.ru_maxrss / 1024;  // ru_maxrss is in KiB on Linux
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer's shadow memory and quarantine double the RSS
    EXPECT_LT(peak_mib, 256) << "peak RSS of holdfast backup: " << peak_mib << " MiB";
#endif
    std::cout << "200 MiB backup: peak RSS " << peak_mib << " MiB\n";

    const auto result = result_line(first.out);
    EXPECT_EQ(result["bytes"], size);
    // All of it is new, plus the chunks' sketches (16 bytes for each chunk of 64 KiB or more).
    EXPECT_GT(result["bytes_new"].get<std::uint64_t>(), size);
    EXPECT_LE(result["bytes_new"].get<std::uint64_t>(), size + size / (64 * 1024) * 16);
    EXPECT_TRUE(result["parent"].is_null());

    const auto before = repository_bytes();
    const auto second = result_line(ok({"backup", "big", "--json", "--threads", "2", "--worker-nice", "0"}).out);
    const auto growth = repository_bytes() - before;
    EXPECT_LT(growth, size / 100) << "a backup of unchanged data added " << growth << " bytes";
    EXPECT_EQ(second["bytes_new"], 0);
    EXPECT_EQ(second["parent"], result["snapshot"]);

    ok({"dump", "latest", "stdout", "--output", (dir() / "big.out").string()});
    EXPECT_TRUE(same_content(input, dir() / "big.out"));

    // Both snapshots share one sketch blob; the content (under 1,000 chunks) sits in them.
    const auto stats = nlohmann::json::parse(ok({"stats", "--json"}).out);
    EXPECT_EQ(stats.at("sketch_blobs"), 1);
    EXPECT_EQ(stats.at("list_blobs"), 0);
    EXPECT_EQ(stats.at("blobs"), stats.at("data_blobs").get<std::uint64_t>() + 1);
}

TEST_F(backup_cli, AFailingCommandExitsNonZeroAndWritesNoSnapshot) {
    write_config(
        "  - name: broken\n    engine: exec\n    settings:\n"
        "      backup_command: [\"sh\", \"-c\", \"head -c 500000 /dev/zero; echo oops >&2; exit 3\"]\n");
    init_repository();
    const auto r = run({"backup", "broken"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("exit"), std::string::npos) << r.err;
    EXPECT_EQ(snapshot_count(), 0u);
}

TEST_F(backup_cli, InterruptionExits130WithoutSnapshotAndLeavesTheRepositoryUsable) {
    const auto input = dir() / "in";
    write_test_data(input, 1024 * 1024, 3);
    // The command interrupts holdfast itself (its parent) once it has written its data,
    // as Ctrl-C would, and then would go on for a long time. ("$$" is a "$" in the config.)
    write_config(exec_source("ok", input) +
                 "  - name: slow\n    engine: exec\n    settings:\n"
                 "      backup_command: \"head -c 3000000 /dev/zero; kill -INT $$PPID; sleep 20\"\n");
    init_repository();
    const auto r = run({"backup", "slow"});
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_EQ(snapshot_count(), 0u);
    ok({"backup", "ok"});
    EXPECT_EQ(snapshot_count(), 1u);
}

// The repository is opened while the engine starts, but its problems still come first: a
// wrong password is reported as such (exit 1, naming where the password came from), not as
// an engine that failed to write, and nothing is stored.
TEST_F(backup_cli, AWrongPasswordIsTheErrorEvenThoughTheEngineStartedFirst) {
    const auto input = dir() / "in";
    write_test_data(input, 3 * 1024 * 1024, 5);
    write_config(exec_source("db", input));
    init_repository();
    auto options = environment();
    options.env["HOLDFAST_PASSWORD"] = "not the password";
    const auto r = holdfast::testing::run_process(command_line({"backup", "db"}), options);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("wrong password"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(the password came from HOLDFAST_PASSWORD)"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("backup failed"), std::string::npos) << r.err;
    EXPECT_EQ(snapshot_count(), 0u);
    EXPECT_FALSE(fs::exists(repo() / "data") && !fs::is_empty(repo() / "data"));
    ok({"backup", "db"});
    EXPECT_EQ(snapshot_count(), 1u);
}

// A shell word for `text` (single quotes; embedded ones closed and escaped).
std::string shell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

TEST_F(backup_cli, StorageFullMidBackupWritesNoSnapshotAndKeepsTheRepositoryValid) {
    // A real full filesystem: a 6 MiB tmpfs holding the repository, mounted in a private
    // mount namespace (unshare), so the whole scenario runs inside one shell there.
    write_random_data(dir() / "small", 1024 * 1024, 1);
    write_random_data(dir() / "big", 12 * 1024 * 1024, 2);  // incompressible: cannot fit
    const auto link = dir() / "current";
    fs::create_symlink(dir() / "small", link);
    write_config(exec_source("db", link));
    fs::create_directories(repo());

    std::string hf;
    for (const auto& word : command_line({})) hf += shell_quoted(word) + " ";
    const std::string script =
        "mount -t tmpfs -o size=6m tmpfs " + shell_quoted(repo().string()) + " || exit 99\n" +
        "set -e\n" + hf + "init --kdf-n 1024 >/dev/null\n" + hf + "backup db >/dev/null\n" +
        "ln -sfn " + shell_quoted((dir() / "big").string()) + " " + shell_quoted(link.string()) + "\n" +
        "set +e\n" + hf + "backup db; echo \"full-backup-exit=$?\"\n" +
        "echo \"snapshots=$(ls " + shell_quoted((repo() / "snapshots").string()) + " | wc -l)\"\n" + hf +
        "check; echo \"check-exit=$?\"\n" + hf + "dump latest stdout --output " +
        shell_quoted((dir() / "restored").string()) + "; echo \"dump-exit=$?\"\n";
    const auto r = holdfast::testing::run_process({"/usr/bin/unshare", "--user", "--map-root-user", "--mount",
                                                   "/bin/sh", "-c", script},
                                                  environment());
    if (r.exit_code == 99 || r.err.find("unshare failed") != std::string::npos ||
        r.err.find("unshare:") != std::string::npos)
        GTEST_SKIP() << "cannot mount a tmpfs in a private namespace here: " << r.err;
    const std::string all = r.out + r.err;
    EXPECT_NE(all.find("full-backup-exit=1"), std::string::npos) << all;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    EXPECT_NE(all.find("snapshots=1"), std::string::npos) << "only the first backup saved a snapshot:\n" << all;
    EXPECT_NE(all.find("check-exit=0"), std::string::npos) << all;
    EXPECT_NE(all.find("dump-exit=0"), std::string::npos) << all;
    EXPECT_TRUE(same_content(dir() / "small", dir() / "restored"));
}

TEST_F(backup_cli, UsageErrors) {
    write_config(exec_source("one", dir() / "x"));
    init_repository();
    EXPECT_EQ(run({"backup"}).exit_code, 2);
    EXPECT_EQ(run({"backup", "nosuch"}).exit_code, 2);
    EXPECT_EQ(run({"backup", "one", "--threads", "0"}).exit_code, 2);
    for (const char* nice : {"20", "-1"}) {
        const auto refused = run({"backup", "one", "--worker-nice", nice});
        EXPECT_EQ(refused.exit_code, 2);
        EXPECT_NE(refused.err.find("--worker-nice must be from 0 to 19"), std::string::npos) << refused.err;
    }
    EXPECT_EQ(run({"backup", "nosuchscheme:///x"}).exit_code, 3);
    for (const char* cmd : {"backup", "restore", "dump"}) {
        const auto help = run({cmd, "--help"});
        EXPECT_EQ(help.exit_code, 0);
        EXPECT_NE(help.out.find(std::string("Usage: holdfast ") + cmd), std::string::npos) << help.out;
    }
}

}  // namespace
}  // namespace holdfast::pipeline::testing
