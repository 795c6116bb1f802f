// exec backup: stdout stored byte for byte, failures explained, secrets kept
// out of everything recorded, timeouts and cancellation stop the command.
#include "exec_fixture.hpp"

#include <signal.h>

#include <cerrno>
#include <fstream>
#include <thread>

namespace holdfast::testing {
namespace {

namespace fs = std::filesystem;
using exec_backup = exec_engine_test;
using json = nlohmann::json;

// Running, as opposed to gone or a zombie (an orphan's zombie waits for
// whoever reaps orphans here, which may be slow or nobody in a container).
bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

TEST_F(exec_backup, argv_form_stores_stdout_exactly) {
    // Several MiB, not a multiple of any buffer size: crosses pipe (64 KiB)
    // and chunk (1 MiB) boundaries.
    const auto data = random_bytes(5 * 1024 * 1024 + 12345, 42);
    write_file(dir / "input.bin", data);
    memory_target target = backup({{"backup_command", {"cat", (dir / "input.bin").string()}}});
    ASSERT_EQ(target.names(), std::vector<std::string>{"stdout"});
    EXPECT_TRUE(target.committed("stdout"));
    EXPECT_TRUE(target.data("stdout") == data);

    const auto metadata = json::parse(target.metadata());
    EXPECT_EQ(metadata["command"], "cat");
    EXPECT_EQ(metadata["form"], "argv");
    EXPECT_EQ(metadata["exit_status"], 0);
    EXPECT_EQ(metadata["bytes"], data.size());
    EXPECT_TRUE(metadata["duration_ms"].is_number_integer());
    EXPECT_GT(host.progress_reports(), 0u);
}

TEST_F(exec_backup, shell_form_runs_through_sh) {
    const auto data = random_bytes(3 * 1024 * 1024 + 7, 7);
    write_file(dir / "input.bin", data);
    memory_target target = backup(
        {{"backup_command", "printf 'head:'; head -c 2000000 '" + (dir / "input.bin").string() + "' | cat; printf ':tail'"},
         {"stream_name", "dump.raw"}});
    const auto stored = target.data("dump.raw");
    std::string expected = "head:" + to_string(std::vector<std::byte>(data.begin(), data.begin() + 2000000)) + ":tail";
    EXPECT_EQ(to_string(stored), expected);
    EXPECT_EQ(json::parse(target.metadata())["command"], "printf");
    EXPECT_EQ(json::parse(target.metadata())["form"], "shell");
}

TEST_F(exec_backup, empty_output_is_an_empty_committed_stream) {
    memory_target target = backup({{"backup_command", {"true"}}});
    EXPECT_TRUE(target.committed("stdout"));
    EXPECT_TRUE(target.data("stdout").empty());
}

TEST_F(exec_backup, nonzero_exit_fails_with_the_stderr_tail_and_abandons_the_stream) {
    memory_target target;
    // 500 lines of noise, then the reason: the message keeps the end.
    const std::string message = failure(
        [&] {
            open({{"backup_command",
                   {"sh", "-c",
                    "head -c 300000 /dev/zero; i=0; while [ $i -lt 500 ]; do echo \"noise line $i\" >&2; "
                    "i=$((i+1)); done; echo 'pg_dump: error: connection refused' >&2; exit 3"}}})
                .backup("{}", target);
        },
        HF_ERR_FAILED);
    EXPECT_NE(message.find("'sh'"), std::string::npos) << message;
    EXPECT_NE(message.find("exit status 3"), std::string::npos) << message;
    EXPECT_NE(message.find("pg_dump: error: connection refused"), std::string::npos) << message;
    EXPECT_NE(message.find("noise line 499"), std::string::npos) << message;
    EXPECT_EQ(message.find("noise line 1 "), std::string::npos) << message;  // bounded: early lines are gone
    EXPECT_LT(message.size(), 1024u);
    EXPECT_TRUE(target.abandoned("stdout"));
    EXPECT_EQ(target.data("stdout").size(), 300000u);  // written as read, then abandoned
}

TEST_F(exec_backup, death_by_signal_fails) {
    memory_target target;
    const std::string message =
        failure([&] { open({{"backup_command", "echo partial; kill -KILL $$"}}).backup("{}", target); }, HF_ERR_FAILED);
    EXPECT_NE(message.find("signal 9"), std::string::npos) << message;
    EXPECT_TRUE(target.abandoned("stdout"));
}

TEST_F(exec_backup, a_missing_program_is_reported_by_name) {
    memory_target target;
    const std::string message = failure(
        [&] { open({{"backup_command", {"holdfast-no-such-program", "--flag"}}}).backup("{}", target); },
        HF_ERR_NOT_FOUND);
    EXPECT_NE(message.find("holdfast-no-such-program"), std::string::npos) << message;
    EXPECT_TRUE(target.names().empty());
}

TEST_F(exec_backup, environment_reaches_the_child_and_nothing_else) {
    const std::string secret = "s3cr3t-Value-42";
    const json settings = {{"backup_command", {"sh", "-c", "printf %s \"$HF_TEST_SECRET\"; printf ' %s' \"$HOME\""}},
                           {"environment", {{"HF_TEST_SECRET", secret}, {"HOME", "/nowhere"}}}};
    memory_target target = backup(settings);
    EXPECT_EQ(to_string(target.data("stdout")), secret + " /nowhere");
    EXPECT_EQ(target.metadata().find(secret), std::string::npos) << target.metadata();
    EXPECT_EQ(host.all_logs().find(secret), std::string::npos) << host.all_logs();
    EXPECT_EQ(open(settings).probe().find(secret), std::string::npos);

    // A failure message names the command, not its environment.
    json failing = settings;
    failing["backup_command"] = {"sh", "-c", "exit 4"};
    memory_target t2;
    const std::string message = failure([&] { open(failing).backup("{}", t2); }, HF_ERR_FAILED);
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
    EXPECT_EQ(host.all_logs().find(secret), std::string::npos);
}

TEST_F(exec_backup, shell_command_name_never_shows_an_assignment) {
    memory_target target = backup({{"backup_command", "PGPASSWORD=hunter2 exec printf ok"}});
    EXPECT_EQ(json::parse(target.metadata())["command"], "printf");
    EXPECT_EQ(target.metadata().find("hunter2"), std::string::npos);
}

TEST_F(exec_backup, working_directory_is_used) {
    memory_target target = backup({{"backup_command", {"pwd"}}, {"working_directory", dir.path().string()}});
    EXPECT_EQ(to_string(target.data("stdout")), fs::canonical(dir.path()).string() + "\n");
}

TEST_F(exec_backup, timeout_stops_the_command) {
    memory_target target;
    const auto start = std::chrono::steady_clock::now();
    const std::string message = failure(
        [&] { open({{"backup_command", {"sleep", "30"}}, {"timeout_seconds", 0.5}}).backup("{}", target); },
        HF_ERR_FAILED);
    EXPECT_LT(seconds_since(start), 5.0);
    EXPECT_NE(message.find("timed out"), std::string::npos) << message;
    EXPECT_TRUE(target.abandoned("stdout"));
}

TEST_F(exec_backup, cancellation_stops_the_command_and_its_children) {
    const auto pids = dir / "pids";
    memory_target target;
    std::thread canceller([&] {
        // Cancel once the command (and its background child) are running.
        for (int i = 0; i < 500 && !fs::exists(pids); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        host.cancel();
    });
    const auto start = std::chrono::steady_clock::now();
    const std::string message = failure(
        [&] {
            open({{"backup_command",
                   "sleep 30 & echo $$ $! > '" + pids.string() + ".tmp'; mv '" + pids.string() + ".tmp' '" +
                       pids.string() + "'; printf data; wait"}})
                .backup("{}", target);
        },
        HF_ERR_CANCELLED);
    canceller.join();
    EXPECT_LT(seconds_since(start), 5.0);
    EXPECT_TRUE(target.abandoned("stdout"));
    std::ifstream in(pids);
    pid_t shell = 0, child = 0;
    in >> shell >> child;
    ASSERT_GT(shell, 0);
    ASSERT_GT(child, 0);
    for (int i = 0; i < 100 && alive(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_FALSE(alive(shell));
    EXPECT_FALSE(alive(child)) << "the command's background child survived";
}

TEST_F(exec_backup, a_failing_sink_stops_the_command) {
    memory_target target;
    target.fail_writes_after(1024 * 1024);
    const auto start = std::chrono::steady_clock::now();
    failure([&] { open({{"backup_command", {"cat", "/dev/zero"}}}).backup("{}", target); }, HF_ERR_NO_SPACE);
    EXPECT_LT(seconds_since(start), 5.0);
    EXPECT_TRUE(target.abandoned("stdout"));
}

TEST_F(exec_backup, unknown_options_are_refused) {
    memory_target target;
    failure([&] { open({{"backup_command", {"true"}}}).backup(R"({"fast": true})", target); }, HF_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(target.names().empty());
}

}  // namespace
}  // namespace holdfast::testing
