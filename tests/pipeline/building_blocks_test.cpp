// The pipeline's building blocks on their own: the byte budget, the task pool, atomic
// output files, and the progress display's formatting.
#include "pipeline_fixture.hpp"

#include "pipeline/atomic_file.hpp"
#include "pipeline/byte_budget.hpp"
#include "pipeline/task_pool.hpp"
#include "progress/format.hpp"
#include "progress/json_lines.hpp"
#include "progress/plugin_route.hpp"
#include "progress/reporter.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace holdfast::pipeline::testing {
namespace {

using namespace std::chrono_literals;

TEST(byte_budget, RefusesWhileSpentAndTakesAgainAfterRelease) {
    byte_budget budget(100);
    ASSERT_TRUE(budget.try_acquire(60));
    EXPECT_FALSE(budget.try_acquire(60));
    EXPECT_EQ(budget.in_use(), 60u);  // a refusal takes nothing
    EXPECT_TRUE(budget.try_acquire(40));
    budget.release(60);
    EXPECT_TRUE(budget.try_acquire(60));
    EXPECT_EQ(budget.in_use(), 100u);
    EXPECT_EQ(budget.peak(), 100u);
}

TEST(byte_budget, LetsAnOversizedRequestThroughWhenIdle) {
    byte_budget budget(10);
    EXPECT_TRUE(budget.try_acquire(1000));
    EXPECT_EQ(budget.in_use(), 1000u);
    EXPECT_FALSE(budget.try_acquire(1));
}

TEST(task_pool, RunsTasksAndCarriesResultsAndExceptions) {
    task_pool pool(3);
    EXPECT_EQ(pool.size(), 3u);
    std::vector<std::future<int>> results;
    for (int i = 0; i < 100; ++i) results.push_back(pool.submit([i] { return i * i; }));
    for (int i = 0; i < 100; ++i) EXPECT_EQ(results[static_cast<std::size_t>(i)].get(), i * i);
    auto failing = pool.submit([]() -> int { throw std::runtime_error("boom"); });
    EXPECT_THROW(failing.get(), std::runtime_error);
}

TEST(task_pool, DiscardedTasksBreakTheirPromises) {
    task_pool pool(1);
    occupied_worker busy(pool);
    auto dropped = pool.submit([] { return 1; });  // the only worker is busy: still queued
    pool.discard_pending();
    busy.release();
    EXPECT_THROW(dropped.get(), std::future_error);
}

TEST(task_pool, RunOneRunsTheOldestWaitingTaskOnTheCallingThread) {
    task_pool pool(1);
    occupied_worker busy(pool);  // the only worker is busy from now on
    auto first = pool.submit([] { return std::this_thread::get_id(); });
    auto second = pool.submit([] { return std::this_thread::get_id(); });
    EXPECT_TRUE(pool.run_one());
    ASSERT_EQ(first.wait_for(0s), std::future_status::ready);
    EXPECT_EQ(first.get(), std::this_thread::get_id());
    EXPECT_NE(second.wait_for(0s), std::future_status::ready);  // one at a time, oldest first
    EXPECT_TRUE(pool.run_one());
    EXPECT_EQ(second.get(), std::this_thread::get_id());
    EXPECT_FALSE(pool.run_one());  // nothing waits: returns at once
}

int niceness_of_this_thread() { return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())); }

TEST(task_pool, WorkersAddTheirNicenessToTheCreatorsAndTheCreatorKeepsItsOwn) {
    const int base = niceness_of_this_thread();
    if (base > 14) GTEST_SKIP() << "the tests run at niceness " << base << ": no room to add 5";
    {
        task_pool pool(2, 5);
        EXPECT_EQ(pool.submit(niceness_of_this_thread).get(), base + 5);
        EXPECT_EQ(pool.submit(niceness_of_this_thread).get(), base + 5);
    }
    {
        task_pool pool(1, 19);
        EXPECT_EQ(pool.submit(niceness_of_this_thread).get(), 19);  // capped
    }
    {
        task_pool pool(1);
        EXPECT_EQ(pool.submit(niceness_of_this_thread).get(), base);
    }
    EXPECT_EQ(niceness_of_this_thread(), base);
}

class atomic_file_test : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("holdfast-atomic-" + std::to_string(::getpid()) + "-" +
                                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

std::string content_of(const std::filesystem::path& file) {
    std::string text(std::filesystem::file_size(file), '\0');
    std::ifstream(file, std::ios::binary).read(text.data(), static_cast<std::streamsize>(text.size()));
    return text;
}

TEST_F(atomic_file_test, AppearsOnlyOnCommit) {
    const auto target = dir_ / "out.bin";
    {
        atomic_file file(target);
        const std::string text = "hello";
        file.write(std::as_bytes(std::span(text)));
        EXPECT_FALSE(std::filesystem::exists(target));
        file.commit();
    }
    EXPECT_EQ(content_of(target), "hello");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(atomic_file_test, WithoutCommitLeavesTheTargetAsItWasAndNoTemporary) {
    const auto target = dir_ / "out.bin";
    std::ofstream(target) << "previous";
    {
        atomic_file file(target);
        const std::string text = "partial";
        file.write(std::as_bytes(std::span(text)));
    }
    EXPECT_EQ(content_of(target), "previous");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST(progress_format, BytesRatesAndDurations) {
    using progress::format_bytes;
    EXPECT_EQ(format_bytes(0), "0 B");
    EXPECT_EQ(format_bytes(1023), "1023 B");
    EXPECT_EQ(format_bytes(1536), "1.50 KiB");
    EXPECT_EQ(format_bytes(200ull * 1024 * 1024), "200 MiB");
    EXPECT_EQ(format_bytes(1024ull * 1024 * 1024 - 1), "1.00 GiB");
    EXPECT_EQ(progress::format_rate(350.0 * 1024 * 1024), "350 MiB/s");
    EXPECT_EQ(progress::format_duration(12s), "12s");
    EXPECT_EQ(progress::format_duration(185s), "3m05s");
    EXPECT_EQ(progress::format_duration(3720s), "1h02m");
}

TEST(progress_format, LineFitsTheTerminalAndShowsPluginProgress) {
    progress::progress_state s;
    s.phase = "restore";
    s.done = 600ull * 1024 * 1024;
    s.total = 1000ull * 1024 * 1024;
    s.rate = 100.0 * 1024 * 1024;
    s.eta = 4s;
    s.plugin = "sqlite";
    s.plugin_phase = "snapshot";
    s.plugin_done = 45;
    s.plugin_total = 100;
    const auto line = progress::render_line(s, 200);
    EXPECT_EQ(line, "restore: 600 MiB / 1000 MiB (60%), 100 MiB/s, ETA 4s | sqlite snapshot 45%");
    EXPECT_EQ(progress::render_line(s, 20).size(), 19u);
}

TEST(progress_json, ProgressAndResultLines) {
    progress::progress_state s;
    s.phase = "backup";
    s.done = 10;
    const auto line = progress::progress_json(s);
    EXPECT_EQ(line["type"], "progress");
    EXPECT_TRUE(line["bytes_total"].is_null());
    std::ostringstream out;
    progress::print_result(out, {{"snapshot", "abc"}});
    EXPECT_EQ(out.str(), "{\"type\":\"result\",\"snapshot\":\"abc\"}\n");
}

TEST(progress_reporter, JsonModeWritesPhaseLinesAndRoutesPluginReports) {
    std::ostringstream out;
    {
        progress::reporter reporter(progress::display::json, out);
        reporter.start_phase("backup", 100);
        reporter.advance(40);
        EXPECT_TRUE(progress::deliver_plugin_progress("sqlite", "snapshot", 3, 4));
        const auto state = reporter.state();
        EXPECT_EQ(state.done, 40u);
        EXPECT_EQ(state.plugin, "sqlite");
        reporter.finish();
    }
    EXPECT_FALSE(progress::deliver_plugin_progress("sqlite", "snapshot", 4, 4));
    std::istringstream lines(out.str());
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        const auto parsed = nlohmann::json::parse(line);
        EXPECT_EQ(parsed["type"], "progress");
        ++count;
    }
    EXPECT_GE(count, 2);  // at the phase start and at the end
}

TEST(progress_reporter, EtaFromThePluginsTotalWhenThePhaseHasNone) {
    std::ostringstream out;
    progress::reporter reporter(progress::display::json, out);
    reporter.start_phase("backup");  // a backup cannot know its streams' sizes ahead
    EXPECT_FALSE(reporter.state().eta.has_value());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(progress::deliver_plugin_progress("postgresql", "dump", 25, 100));  // database sizes known
    const auto state = reporter.state();
    ASSERT_TRUE(state.eta.has_value());
    // A quarter done in about 0.2 s: about 0.6 s to go, rounded to whole seconds.
    EXPECT_LE(state.eta->count(), 2);
    reporter.finish();
}

TEST(progress_reporter, OffModeIsSilent) {
    std::ostringstream out;
    progress::reporter reporter(progress::display::off, out);
    reporter.start_phase("x", 1);
    reporter.advance(1);
    reporter.finish();
    EXPECT_TRUE(out.str().empty());
    EXPECT_FALSE(progress::deliver_plugin_progress("p", "x", 0, 0));
}

}  // namespace
}  // namespace holdfast::pipeline::testing
