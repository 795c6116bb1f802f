// exec restore: the stream piped into the restore command; a command that
// fails or stops reading is reported, and never takes the host down (SIGPIPE).
#include "exec_fixture.hpp"

#include <thread>

namespace holdfast::testing {
namespace {

namespace fs = std::filesystem;
using exec_restore = exec_engine_test;
using json = nlohmann::json;

memory_origin origin_with(const std::vector<std::byte>& data, const std::string& name = "stdout") {
    memory_origin origin;
    origin.add(name, data);
    return origin;
}

TEST_F(exec_restore, pipes_the_stream_into_the_command) {
    const auto data = random_bytes(6 * 1024 * 1024 + 99, 3);
    const auto out = dir / "restored.bin";
    memory_origin origin = origin_with(data);
    origin.max_read(300'000);
    const auto report = json::parse(
        open({{"restore_command", "cat > '" + out.string() + "'"}}).restore("{}", origin));
    EXPECT_TRUE(read_file(out) == data);
    EXPECT_EQ(report["bytes"], data.size());
    EXPECT_EQ(report["exit_status"], 0);
    EXPECT_EQ(report["command"], "cat");
    EXPECT_EQ(report["dry_run"], false);
}

TEST_F(exec_restore, argv_form_and_a_custom_stream_name) {
    const auto data = random_bytes(100'000, 4);
    const auto out = dir / "restored.bin";
    memory_origin origin = origin_with(data, "dump.sql");
    open({{"restore_command", {"sh", "-c", "cat > \"$1\"", "sh", out.string()}}, {"stream_name", "dump.sql"}})
        .restore("{}", origin);
    EXPECT_TRUE(read_file(out) == data);
}

TEST_F(exec_restore, round_trip_through_backup_and_restore) {
    const auto data = random_bytes(2 * 1024 * 1024, 5);
    write_file(dir / "in.bin", data);
    const json settings = {{"backup_command", {"cat", (dir / "in.bin").string()}},
                           {"restore_command", "cat > '" + (dir / "out.bin").string() + "'"}};
    memory_target target = backup(settings);
    memory_origin origin = memory_origin::from(target);
    open(settings).restore("{}", origin);
    EXPECT_TRUE(read_file(dir / "out.bin") == data);
}

TEST_F(exec_restore, a_command_failing_early_is_reported_with_its_output) {
    // Far more than a pipe holds: the writes hit EPIPE, which must become an
    // error, not a SIGPIPE that kills this test process.
    memory_origin origin = origin_with(random_bytes(8 * 1024 * 1024, 6));
    const std::string message = failure(
        [&] {
            open({{"restore_command", {"sh", "-c", "echo 'psql: could not connect to server' >&2; exit 2"}}})
                .restore("{}", origin);
        },
        HF_ERR_FAILED);
    EXPECT_NE(message.find("exit status 2"), std::string::npos) << message;
    EXPECT_NE(message.find("could not connect to server"), std::string::npos) << message;
}

TEST_F(exec_restore, a_command_that_stops_reading_but_succeeds_still_fails_the_restore) {
    memory_origin origin = origin_with(random_bytes(4 * 1024 * 1024, 8));
    const std::string message =
        failure([&] { open({{"restore_command", {"head", "-c", "10"}}}).restore("{}", origin); }, HF_ERR_FAILED);
    EXPECT_NE(message.find("before reading the whole stream"), std::string::npos) << message;
}

TEST_F(exec_restore, command_output_on_stdout_is_kept_for_the_message_too) {
    memory_origin origin = origin_with(to_bytes("x"));
    const std::string message = failure(
        [&] { open({{"restore_command", "cat >/dev/null; echo 'ERROR: relation exists'; exit 1"}}).restore("{}", origin); },
        HF_ERR_FAILED);
    EXPECT_NE(message.find("ERROR: relation exists"), std::string::npos) << message;
}

TEST_F(exec_restore, a_missing_stream_names_what_the_snapshot_has) {
    memory_origin origin = origin_with(to_bytes("x"), "database");
    const std::string message =
        failure([&] { open({{"restore_command", {"true"}}}).restore("{}", origin); }, HF_ERR_NOT_FOUND);
    EXPECT_NE(message.find("database"), std::string::npos) << message;
}

TEST_F(exec_restore, timeout_and_cancellation_stop_a_hung_command) {
    memory_origin origin = origin_with(random_bytes(1024 * 1024, 9));
    auto start = std::chrono::steady_clock::now();
    failure([&] { open({{"restore_command", {"sleep", "30"}}, {"timeout_seconds", 0.3}}).restore("{}", origin); },
            HF_ERR_FAILED);
    EXPECT_LT(seconds_since(start), 5.0);

    memory_origin again = origin_with(random_bytes(1024 * 1024, 9));
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        host.cancel();
    });
    start = std::chrono::steady_clock::now();
    failure([&] { open({{"restore_command", {"sleep", "30"}}}).restore("{}", again); }, HF_ERR_CANCELLED);
    canceller.join();
    EXPECT_LT(seconds_since(start), 5.0);
}

TEST_F(exec_restore, dry_run_runs_nothing) {
    memory_origin origin = origin_with(to_bytes("hello"));
    const auto marker = dir / "ran";
    const auto report = json::parse(
        open({{"restore_command", "touch '" + marker.string() + "'"}}).restore(R"({"dry_run": true})", origin));
    EXPECT_EQ(report["dry_run"], true);
    EXPECT_EQ(report["bytes"], 5);
    EXPECT_EQ(report["program_found"], true);
    EXPECT_FALSE(fs::exists(marker));
}

}  // namespace
}  // namespace holdfast::testing
