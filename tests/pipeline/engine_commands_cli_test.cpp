// End to end with the real engines: sqlite's options declared in its manifest (restore's
// --target, backup's --pages-per-step), unknown options, dump by a stream's plain name,
// `sources`, `detect`, and `clone` refused for an engine that cannot clone.
#include "cli_fixture.hpp"
#include "support/sqlite_file.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

namespace holdfast::pipeline::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using engine_commands_cli = cli_test;

void make_database(const fs::path& path, int rows = 100) {
    holdfast::testing::sqlite_file db(path);
    db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
    db.exec("BEGIN");
    for (int i = 0; i < rows; ++i) db.exec("INSERT INTO items (name) VALUES ('item " + std::to_string(i) + "')");
    db.exec("COMMIT");
}

std::string sqlite_source(const std::string& name, const fs::path& path) {
    return "  - name: " + name + "\n    engine: sqlite\n    settings:\n      path: " + quoted(path) + "\n";
}

TEST_F(engine_commands_cli, SqliteTargetIsAManifestOptionMadeAbsolute) {
    const auto db = dir() / "app.db";
    make_database(db);
    write_config(sqlite_source("app", db));
    init_repository();
    ok({"backup", "app", "--pages-per-step", "2"});

    // Relative to the working directory (the test's), as before the option moved to the manifest.
    const auto r = ok({"restore", "latest", "--target", "copy.db", "--json"});
    const auto result = json::parse(r.out.substr(r.out.rfind("{\"type\":\"result\"")));
    EXPECT_EQ(result["report"]["target"], (dir() / "copy.db").string());
    holdfast::testing::sqlite_file copy(dir() / "copy.db", false);
    EXPECT_EQ(copy.integer("SELECT count(*) FROM items"), 100);

    // The engine gets what the manifest declares, and refuses a value it does not take.
    const auto refused = run({"backup", "app", "--pages-per-step", "0"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("\"pages_per_step\" must be 1..1000000"), std::string::npos) << refused.err;

    const auto help = ok({"restore", "--help"});
    EXPECT_NE(help.out.find("Options of the sqlite engine:"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("--target PATH"), std::string::npos) << help.out;
}

TEST_F(engine_commands_cli, UnknownRestoreOptionsNameTheEngine) {
    const auto db = dir() / "app.db";
    make_database(db);
    write_config(sqlite_source("app", db));
    init_repository();
    ok({"backup", "app"});
    auto r = run({"restore", "latest", "--no-such-option"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "holdfast: --no-such-option is not an option of holdfast restore or of the sqlite engine; see "
                     "'holdfast restore --help'\n");
    // Another engine's option (postgresql's) is not sqlite's.
    r = run({"restore", "latest", "--rollback=app"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--rollback is not an option of holdfast restore or of the sqlite engine"), std::string::npos)
        << r.err;
    // The host's own restore options still work for every engine.
    holdfast::testing::sqlite_file(db, false).exec("DELETE FROM items");
    ok({"restore", "latest", "--no-keep-previous"});
    EXPECT_EQ(holdfast::testing::sqlite_file(db, false).integer("SELECT count(*) FROM items"), 100);
}

TEST_F(engine_commands_cli, DumpTakesAStreamsPlainName) {
    const auto input = dir() / "in.txt";
    std::ofstream(input) << "the app database\n";
    write_config("  - name: plain\n    engine: exec\n    settings:\n      backup_command: [\"cat\", " + quoted(input) +
                 "]\n      stream_name: database.app\n"
                 "  - name: dotted\n    engine: exec\n    settings:\n      backup_command: [\"cat\", " +
                 quoted(input) + "]\n      stream_name: database.my%2Eapp%25\n");
    init_repository();
    ok({"backup", "plain"});
    ok({"backup", "dotted"});
    EXPECT_EQ(ok({"dump", "latest", "app", "--source", "plain"}).out, "the app database\n");
    EXPECT_EQ(ok({"dump", "latest", "database.app", "--source", "plain"}).out, "the app database\n");
    EXPECT_EQ(ok({"dump", "latest", "my.app%", "--source", "dotted"}).out, "the app database\n");
    const auto missing = run({"dump", "latest", "other", "--source", "plain"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("other"), std::string::npos) << missing.err;
}

TEST_F(engine_commands_cli, SourcesProbesEverySource) {
    const auto db = dir() / "app.db";
    make_database(db);
    write_config(sqlite_source("app", db) + sqlite_source("gone", dir() / "nowhere" / "gone.db"));
    auto r = run({"sources"});
    EXPECT_EQ(r.exit_code, 1) << "a source is unreachable\n" << r.out << r.err;
    EXPECT_NE(r.out.find("NAME  ENGINE  REACHABLE  SUMMARY"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("app   sqlite  yes        sqlite "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("gone  sqlite  no         sqlite "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("problem: the database file does not exist"), std::string::npos) << r.out;

    r = run({"sources", "--json"});
    EXPECT_EQ(r.exit_code, 1);
    const auto list = json::parse(r.out);
    ASSERT_EQ(list.size(), 2u) << r.out;
    EXPECT_EQ(list[0]["name"], "app");
    EXPECT_EQ(list[0]["engine"], "sqlite");
    EXPECT_EQ(list[0]["reachable"], true);
    EXPECT_EQ(list[0]["problems"], json::array());
    EXPECT_EQ(list[0]["probe"]["size"], fs::file_size(db));
    EXPECT_EQ(list[1]["reachable"], false);
    EXPECT_EQ(list[1]["problems"], json({"the database file does not exist"}));

    write_config(sqlite_source("app", db));
    EXPECT_EQ(run({"sources"}).exit_code, 0) << "every source is well";
}

TEST_F(engine_commands_cli, DetectFindsSqliteDatabases) {
    fs::create_directories(dir() / "data" / "nested");
    make_database(dir() / "data" / "nested" / "found.db", 10);
    std::ofstream(dir() / "data" / "notes.txt") << "not a database\n";

    auto r = ok({"detect", (dir() / "data").string(), "--engine", "sqlite", "--json"});
    const auto finds = json::parse(r.out);
    ASSERT_EQ(finds.size(), 1u) << r.out;
    EXPECT_EQ(finds[0]["engine"], "sqlite");
    EXPECT_EQ(finds[0]["path"], (dir() / "data" / "nested" / "found.db").string());

    // Every engine that can detect: here a plugin directory holding sqlite alone.
    fs::create_directories(dir() / "plugins");
    fs::create_directory_symlink(fs::path(HOLDFAST_PLUGIN_DIR) / "sqlite", dir() / "plugins" / "sqlite");
    const auto all = holdfast::testing::run_process(
        {holdfast::testing::holdfast_exe(), "--plugin-path", (dir() / "plugins").string(), "detect", "data"},
        environment());
    EXPECT_EQ(all.exit_code, 0) << all.err;
    EXPECT_NE(all.out.find("ENGINE"), std::string::npos) << all.out;
    EXPECT_NE(all.out.find((dir() / "data" / "nested" / "found.db").string()), std::string::npos) << all.out;

    fs::create_directories(dir() / "empty");
    EXPECT_NE(ok({"detect", (dir() / "empty").string(), "--engine", "sqlite"}).out.find("nothing found"),
              std::string::npos);
    EXPECT_EQ(run({"detect", (dir() / "data" / "notes.txt").string()}).exit_code, 2) << "not a directory";
    EXPECT_EQ(run({"detect", "data", "--engine", "exec"}).exit_code, 2) << "exec cannot detect";
}

TEST_F(engine_commands_cli, CloneIsRefusedForAnEngineThatCannotClone) {
    const auto db = dir() / "app.db";
    make_database(db);
    write_config(sqlite_source("app", db));
    const auto r = run({"clone", "app", "main", "copy"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "holdfast: engine \"sqlite\" cannot clone databases (its plugin has no clone function); back "
                     "the source up and restore the snapshot elsewhere instead\n");
}

}  // namespace
}  // namespace holdfast::pipeline::testing
