// `holdfast restore` end to end with the sqlite engine, and what a damaged repository does
// to restore and dump: fail, and write nothing wrong.
#include "cli_fixture.hpp"
#include "support/sqlite_file.hpp"

#include <fstream>

namespace holdfast::pipeline::testing {
namespace {

namespace fs = std::filesystem;

using restore_cli = cli_test;

void make_database(const fs::path& path) {
    holdfast::testing::sqlite_file db(path);
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL, note BLOB)");
    db.exec("BEGIN");
    for (int i = 0; i < 5000; ++i)
        db.exec("INSERT INTO orders (customer, total, note) VALUES ('customer " + std::to_string(i % 97) + "', " +
                std::to_string(i * 1.25) + ", randomblob(" + std::to_string(i % 300) + "))");
    db.exec("COMMIT");
}

TEST_F(restore_cli, SqliteBackupByUrlAndRestoreLatestToAnotherFile) {
    const auto db = dir() / "app.db";
    make_database(db);
    init_repository();
    const std::string url = "sqlite://" + db.string();
    ok({"backup", url, "--tag", "e2e"});

    const auto listing = ok({"snapshots"});
    EXPECT_NE(listing.out.find(url), std::string::npos) << listing.out;

    const auto restored = dir() / "other.db";
    const auto r = ok({"restore", "latest", "--target", restored.string()});
    EXPECT_NE(r.out.find(restored.string()), std::string::npos) << r.out;  // the engine's report
    holdfast::testing::sqlite_file original(db, false), copy(restored, false);
    EXPECT_EQ(copy.dump(), original.dump());
    EXPECT_EQ(copy.integrity(), std::vector<std::string>{"ok"});

    // A dry run reads and checks everything but changes nothing.
    const auto again = dir() / "dry.db";
    const auto dry = ok({"restore", "latest", "--target", again.string(), "--dry-run", "--json"});
    EXPECT_NE(dry.out.find("\"type\":\"result\""), std::string::npos) << dry.out;
    EXPECT_FALSE(fs::exists(again));
}

TEST_F(restore_cli, RestoreIntoAConfiguredSourceAndLatestNeedsASourceWhenSeveral) {
    const auto a = dir() / "a.db";
    const auto b = dir() / "b.db";
    make_database(a);
    make_database(b);
    write_config("  - name: a\n    engine: sqlite\n    settings:\n      path: " + quoted(a) +
                 "\n  - name: b\n    engine: sqlite\n    settings:\n      path: " + quoted(b) + "\n");
    init_repository();
    ok({"backup", "a"});
    ok({"backup", "b"});
    EXPECT_EQ(run({"restore", "latest"}).exit_code, 2);
    {
        holdfast::testing::sqlite_file changed(a, false);
        changed.exec("DELETE FROM orders WHERE id > 10");
    }
    ok({"restore", "latest", "--source", "a", "--no-keep-previous"});
    holdfast::testing::sqlite_file restored(a, false);
    EXPECT_EQ(restored.integer("SELECT count(*) FROM orders"), 5000);
}

TEST_F(restore_cli, ACorruptedPackFailsAndWritesNothing) {
    const auto input = dir() / "in";
    write_random_data(input, 3 * 1024 * 1024, 9);
    write_config("  - name: data\n    engine: exec\n    settings:\n      backup_command: [\"cat\", " + quoted(input) +
                 "]\n      restore_command: [\"sh\", \"-c\", \"cat > \\\"$$0\\\"\", " + quoted(dir() / "restored") +
                 "]\n");
    init_repository();
    ok({"backup", "data"});
    // Damage one byte in the middle of every pack.
    for (const auto& entry : fs::recursive_directory_iterator(repo() / "data")) {
        if (!entry.is_regular_file()) continue;
        std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
        const auto middle = static_cast<std::streamoff>(entry.file_size() / 2);
        f.seekg(middle);
        char c = 0;
        f.read(&c, 1);
        c = static_cast<char>(c ^ 1);
        f.seekp(middle);
        f.write(&c, 1);
    }
    const auto out = dir() / "out";
    const auto dump = run({"dump", "latest", "stdout", "--output", out.string()});
    EXPECT_EQ(dump.exit_code, 1);
    EXPECT_NE(dump.err.find("corrupt"), std::string::npos) << dump.err;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir()), fs::directory_iterator()), 3)  // in, repo, config
        << "a temporary file was left behind";

    const auto restore = run({"restore", "latest"});
    EXPECT_NE(restore.exit_code, 0);
    EXPECT_NE(restore.err.find("corrupt"), std::string::npos) << restore.err;
    EXPECT_LT(fs::exists(dir() / "restored") ? fs::file_size(dir() / "restored") : 0, fs::file_size(input));
}

}  // namespace
}  // namespace holdfast::pipeline::testing
