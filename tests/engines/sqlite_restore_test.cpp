// Restore in place and elsewhere: the previous file is kept (or not), stale
// journals never meet the new file, and a bad stream leaves the target as it was.
#include "sqlite_fixture.hpp"

#include "support/sqlite_file.hpp"
#include "support/sqlite_sample.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <regex>

namespace holdfast::testing {
namespace {

namespace fs = std::filesystem;

class sqlite_restore : public sqlite_engine_test {
protected:
    void SetUp() override {
        source = dir / "app.db";
        make_sample_database(source, 100);
        snapshot = backup(source);
    }
    memory_origin origin() { return memory_origin::from(snapshot); }
    // Change the live database after the backup, so a restore is visible.
    void add_rows(int n) {
        sqlite_file db(source, false);
        for (int i = 0; i < n; ++i) db.exec("INSERT INTO users(name) VALUES ('after backup')");
    }
    std::int64_t users(const fs::path& db) { return sqlite_file(db, false).integer("SELECT count(*) FROM users"); }
    std::vector<std::string> pre_restore_files() {
        std::vector<std::string> out;
        for (const auto& name : dir.entries())
            if (name.find(".pre-restore-") != std::string::npos) out.push_back(name);
        return out;
    }
    static void expect_code(const std::function<void()>& body, hf_status code, const std::string& text = {}) {
        try {
            body();
            ADD_FAILURE() << "expected failure with status " << code;
        } catch (const client::plugin_error& e) {
            EXPECT_EQ(e.code(), code) << e.what();
            if (!text.empty()) {
                EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
            }
        }
    }

    fs::path source;
    memory_target snapshot;
};

TEST_F(sqlite_restore, in_place_keeps_the_previous_file) {
    add_rows(5);
    memory_origin o = origin();
    const auto report = restore(source, o, nlohmann::json::object());
    EXPECT_EQ(users(source), 100);

    const auto kept = pre_restore_files();
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_TRUE(std::regex_match(kept[0], std::regex(R"(app\.db\.pre-restore-\d{8}T\d{6}Z)"))) << kept[0];
    EXPECT_EQ(report["previous"], (dir / kept[0]).string());
    EXPECT_EQ(users(dir / kept[0]), 105);  // the old database, as it was
    EXPECT_EQ(report["row_counts"]["users"], 100);
    EXPECT_EQ(report["dry_run"], false);

    // A second restore in the same second gets a name of its own.
    memory_origin again = origin();
    const auto second = restore(source, again, nlohmann::json::object());
    EXPECT_EQ(pre_restore_files().size(), 2u);
    EXPECT_NE(second["previous"], report["previous"]);
}

TEST_F(sqlite_restore, keep_previous_false_replaces_without_a_copy) {
    add_rows(5);
    memory_origin o = origin();
    const auto report = restore(source, o, {{"keep_previous", false}});
    EXPECT_TRUE(report["previous"].is_null());
    EXPECT_TRUE(pre_restore_files().empty());
    EXPECT_EQ(users(source), 100);
    // Only the database and nothing of the restore's own is left behind.
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"app.db"});
}

TEST_F(sqlite_restore, another_target_leaves_the_source_untouched) {
    add_rows(3);
    const auto before = read_file(source);
    memory_origin o = origin();
    const auto target = dir / "elsewhere" / "copy.db";
    fs::create_directory(target.parent_path());
    const auto report = restore(source, o, {{"target", target.string()}});
    EXPECT_EQ(read_file(source), before);
    EXPECT_EQ(users(target), 100);
    EXPECT_TRUE(report["previous"].is_null());
    EXPECT_TRUE(pre_restore_files().empty());
}

TEST_F(sqlite_restore, dry_run_checks_everything_and_changes_nothing) {
    add_rows(2);
    const auto before = read_file(source);
    memory_origin o = origin();
    const auto report = restore(source, o, {{"dry_run", true}});
    EXPECT_EQ(report["dry_run"], true);
    EXPECT_EQ(report["integrity"], "ok");
    EXPECT_TRUE(report["previous"].is_string());  // the name it would have used
    EXPECT_EQ(read_file(source), before);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"app.db"});
}

TEST_F(sqlite_restore, a_corrupted_stream_fails_and_leaves_the_target_as_it_was) {
    add_rows(1);
    const auto before = read_file(source);
    auto data = snapshot.data("database");
    for (std::size_t i = 5000; i < data.size(); i += 4096) data[i] ^= std::byte{0x5a};
    memory_origin o = origin();
    o.replace("database", data);
    expect_code([&] { restore(source, o, nlohmann::json::object()); }, HF_ERR_CORRUPT, "SHA-256");
    EXPECT_EQ(read_file(source), before);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"app.db"});  // no temporary file, no previous copy
}

TEST_F(sqlite_restore, integrity_check_catches_damage_when_the_metadata_has_no_checksum) {
    const auto before = read_file(source);
    auto data = snapshot.data("database");
    // Wreck the b-tree page headers of every page after the first (page type
    // byte, cell count, first cell offset): structure, not just content.
    for (std::size_t page = 4096; page + 8 < data.size(); page += 4096)
        for (std::size_t k = 0; k < 8; ++k) data[page + k] = std::byte{0xee};
    memory_origin o("{}");
    o.add("database", data);
    expect_code([&] { restore(source, o, nlohmann::json::object()); }, HF_ERR_CORRUPT);
    EXPECT_EQ(read_file(source), before);

    memory_origin garbage("{}");
    garbage.add("database", to_bytes(std::string(10000, 'x')));
    expect_code([&] { restore(source, garbage, nlohmann::json::object()); }, HF_ERR_CORRUPT);
    EXPECT_EQ(read_file(source), before);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"app.db"});
}

TEST_F(sqlite_restore, a_stale_wal_is_kept_with_the_previous_copy_not_replayed_into_the_new_file) {
    fs::remove(source);
    make_sample_database(source, 100, /*wal=*/true);
    snapshot = backup(source);
    // An application writes 7 more rows in WAL mode and dies before any
    // checkpoint: the rows live only in app.db-wal.
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        try {
            sqlite_file db(source, false);
            db.exec("PRAGMA wal_autocheckpoint=0");
            for (int i = 0; i < 7; ++i) db.exec("INSERT INTO users(name) VALUES ('in the wal')");
            ::_exit(0);  // before `db` closes: the WAL stays as a crash leaves it
        } catch (...) {
            ::_exit(1);
        }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_TRUE(fs::exists(dir / "app.db-wal"));
    ASSERT_GT(fs::file_size(dir / "app.db-wal"), 0u);

    memory_origin o = origin();
    const auto report = restore(source, o, nlohmann::json::object());
    EXPECT_FALSE(fs::exists(dir / "app.db-wal"));
    EXPECT_FALSE(fs::exists(dir / "app.db-shm"));
    ASSERT_EQ(report["removed"].size(), 2u) << report.dump();
    EXPECT_EQ(users(source), 100);
    EXPECT_EQ(sqlite_file(source, false).integrity(), std::vector<std::string>{"ok"});
    // The previous copy with its WAL still holds the crashed application's rows.
    const fs::path previous = report["previous"].get<std::string>();
    EXPECT_TRUE(fs::exists(previous.string() + "-wal"));
    EXPECT_EQ(users(previous), 107);
}

TEST_F(sqlite_restore, refuses_while_another_process_has_the_database_open) {
    fs::remove(source);
    make_sample_database(source, 10, /*wal=*/true);
    snapshot = backup(source);
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(ready[0]);
        sqlite_file db(source, false);
        db.integer("SELECT count(*) FROM users");  // a WAL connection holds its shared lock from here
        (void)!::write(ready[1], "x", 1);
        ::pause();
        ::_exit(0);
    }
    ::close(ready[1]);
    char byte;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1);
    ::close(ready[0]);
    const auto before = read_file(source);
    memory_origin o = origin();
    expect_code([&] { restore(source, o, nlohmann::json::object()); }, HF_ERR_PRECONDITION, "in use by process");
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    EXPECT_EQ(read_file(source), before);
    // With the application gone, the same restore goes through.
    memory_origin again = origin();
    EXPECT_EQ(restore(source, again, nlohmann::json::object())["integrity"], "ok");
}

TEST_F(sqlite_restore, refuses_bad_options_and_snapshots_of_other_engines) {
    memory_origin o = origin();
    expect_code([&] { restore(source, o, {{"keep_previus", true}}); }, HF_ERR_INVALID_ARGUMENT, "keep_previus");
    expect_code([&] { restore(source, o, {{"target", (dir / "missing" / "x.db").string()}}); }, HF_ERR_NOT_FOUND);
    expect_code([&] { restore(source, o, {{"target", dir.path().string()}}); }, HF_ERR_INVALID_ARGUMENT);
    memory_origin other("{}");
    other.add("stdout", to_bytes("not sqlite"));
    expect_code([&] { restore(source, other, nlohmann::json::object()); }, HF_ERR_NOT_FOUND, "\"database\"");
}

TEST_F(sqlite_restore, restores_through_a_symlink_into_the_linked_file) {
    const auto link = dir / "link.db";
    fs::create_symlink(source, link);
    add_rows(4);
    memory_origin o = origin();
    const auto report = restore(link, o, {{"keep_previous", false}});
    EXPECT_TRUE(fs::is_symlink(link));
    EXPECT_EQ(report["target"], source.string());
    EXPECT_EQ(users(source), 100);
}

}  // namespace
}  // namespace holdfast::testing
