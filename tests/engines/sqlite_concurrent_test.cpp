// A backup taken while another process keeps committing: the copy is one
// consistent moment of the database, never half a transaction.
#include "sqlite_fixture.hpp"

#include "support/sqlite_file.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace holdfast::testing {
namespace {

namespace fs = std::filesystem;

// Forks a process that commits transactions of two rows sharing one batch
// number, as fast as it can, until killed. Returns once it has committed.
class writer_process {
public:
    explicit writer_process(const fs::path& db) {
        int ready[2];
        if (::pipe(ready) != 0) throw std::runtime_error("pipe");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork");
        if (pid_ == 0) {
            ::close(ready[0]);
            run(db, ready[1]);
        }
        ::close(ready[1]);
        char byte = 0;
        if (::read(ready[0], &byte, 1) != 1) throw std::runtime_error("the writer did not start");
        ::close(ready[0]);
    }
    ~writer_process() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }

private:
    [[noreturn]] static void run(const fs::path& path, int ready) {
        try {
            sqlite_file db(path, false);
            for (std::int64_t batch = 1;; ++batch) {
                db.exec("BEGIN IMMEDIATE");
                for (int k = 0; k < 2; ++k)
                    db.exec("INSERT INTO events(batch, payload) VALUES (" + std::to_string(batch) +
                            ", randomblob(300))");
                db.exec("COMMIT");
                if (batch == 20) (void)!::write(ready, "x", 1);
            }
        } catch (...) {
            ::_exit(1);
        }
    }
    pid_t pid_ = -1;
};

using sqlite_concurrent = sqlite_engine_test;

TEST_F(sqlite_concurrent, backup_during_writes_in_wal_mode_is_consistent) {
    const auto source = dir / "busy.db";
    {
        sqlite_file db(source);
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("CREATE TABLE events (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, payload BLOB)");
        db.exec("CREATE INDEX events_batch ON events(batch)");
        // A few MB to copy, so the backup spans many steps while the writer runs.
        db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) "
                "INSERT INTO events(batch, payload) SELECT -((i + 1) / 2), randomblob(1000) FROM n");
    }
    auto count_rows = [&] { return sqlite_file(source, false).integer("SELECT count(*) FROM events"); };

    memory_target target;
    std::int64_t before = 0, after = 0;
    {
        writer_process writer(source);
        before = count_rows();
        // Slow the copy down (16 pages per step, a pause per step) so that
        // the writer commits many times while it runs.
        host.on_progress([](std::string_view phase, std::uint64_t, std::uint64_t) {
            if (phase == "snapshot") std::this_thread::sleep_for(std::chrono::milliseconds(2));
        });
        open(source).backup(R"({"pages_per_step": 16})", target);
        after = count_rows();
    }
    ASSERT_GT(after, before) << "the writer made no progress during the backup: the test proves nothing";

    memory_origin origin = memory_origin::from(target);
    const auto copy = dir / "copy.db";
    const auto report = restore(source, origin, {{"target", copy.string()}});
    EXPECT_EQ(report["integrity"], "ok");

    sqlite_file restored(copy, false);
    EXPECT_EQ(restored.integrity(), std::vector<std::string>{"ok"});
    const std::int64_t rows = restored.integer("SELECT count(*) FROM events");
    EXPECT_GE(rows, before);
    EXPECT_LE(rows, after);
    EXPECT_EQ(rows % 2, 0);
    // Every batch is complete: no transaction was cut in half.
    EXPECT_EQ(restored.integer("SELECT count(*) FROM (SELECT batch FROM events GROUP BY batch HAVING count(*) != 2)"), 0);
    // And the batches are a prefix: the copy is one moment, not a mix of moments.
    EXPECT_EQ(restored.integer("SELECT count(DISTINCT batch) FROM events WHERE batch > 0"),
              restored.integer("SELECT coalesce(max(batch), 0) FROM events"));
    // The metadata was taken from the same moment as the data.
    const auto metadata = nlohmann::json::parse(target.metadata());
    EXPECT_EQ(metadata["row_counts"]["events"], rows);
    EXPECT_EQ(metadata["journal_mode"], "wal");
}

}  // namespace
}  // namespace holdfast::testing
