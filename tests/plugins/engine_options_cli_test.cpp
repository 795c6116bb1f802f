// Engine-declared command-line options through the real executable, with the options-engine
// fixture (manifest format 1.1), which echoes the options it receives: backup options in a
// stream of the snapshot, restore and clone options in its report. Also a restore without a
// snapshot (a standalone option) and clone between sources.
#include "run_process.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using holdfast::plugins::testing::fixture;
using holdfast::plugins::testing::temp_dir;
using holdfast::plugins::testing::write_file;
using holdfast::testing::process_options;
using holdfast::testing::process_result;
using holdfast::testing::run_holdfast;
using nlohmann::json;
namespace fs = std::filesystem;

class EngineOptionsCli : public ::testing::Test {
protected:
    void SetUp() override {
        write_file(dir.path() / "holdfast.yaml",
                   "sources:\n"
                   "  - name: one\n    engine: options-engine\n    settings:\n      label: first\n"
                   "  - name: two\n    engine: options-engine\n    settings:\n      label: second\n"
                   "  - name: other\n    engine: test-engine\n");
    }

    // The fixtures, and the build tree's plugins for the repository's storage.
    process_result run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--plugin-path", fixture("options").string(), "--plugin-path",
                                   fixture("good").string(), "--plugin-path", HOLDFAST_PLUGIN_DIR, "--config",
                                   (dir.path() / "holdfast.yaml").string()});
        process_options o;
        for (const char* name : {"HOLDFAST_PLUGIN_PATH", "HOLDFAST_ADD_PLUGIN_PATH", "XDG_DATA_HOME", "HOLDFAST_CONFIG",
                                 "HOLDFAST_LOG", "XDG_CONFIG_HOME"})
            o.env[name] = std::nullopt;
        o.env["HOME"] = dir.path().string();
        o.env["HOLDFAST_PASSWORD"] = "engine options test";
        o.env["HOLDFAST_REPOSITORY"] = (dir.path() / "repo").string();
        o.working_directory = dir.path().string();
        return run_holdfast(args, o);
    }
    process_result ok(std::vector<std::string> args) const {
        auto r = run(args);
        EXPECT_EQ(r.exit_code, 0) << "stdout: " << r.out << "\nstderr: " << r.err;
        return r;
    }
    // The options the engine received at backup: its "options" stream.
    json backed_up_options() const { return json::parse(ok({"dump", "latest", "options"}).out); }

    temp_dir dir;
};

TEST_F(EngineOptionsCli, BackupOptionsReachTheEngineTyped) {
    ok({"init", "--kdf-n", "1024"});
    ok({"backup", "one", "--table", "a", "--level", "3", "--table", "b", "--fast-mode", "--out", "sub/file.txt"});
    EXPECT_EQ(backed_up_options(), json({{"tables", {"a", "b"}},
                                         {"level", 3},
                                         {"fast_mode", true},
                                         {"out", (dir.path() / "sub" / "file.txt").string()}}));
    // Nothing given: nothing passed, not even the switches as false.
    ok({"backup", "one"});
    EXPECT_EQ(backed_up_options(), json::object());
}

TEST_F(EngineOptionsCli, UnknownOptionsNameTheEngine) {
    ok({"init", "--kdf-n", "1024"});
    auto r = run({"backup", "one", "--no-such"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "holdfast: --no-such is not an option of holdfast backup or of the options-engine engine; see "
                     "'holdfast backup --help'\n");
    // Another engine's, or another command's option is not this one's either.
    r = run({"backup", "other", "--table", "a"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--table is not an option of holdfast backup or of the test-engine engine"), std::string::npos)
        << r.err;
    // When an unknown option's value cannot be told from the source, no engine is guessed.
    r = run({"backup", "--no-such", "x", "one"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--no-such is not an option of holdfast backup or of any installed engine"), std::string::npos)
        << r.err;
    // Bad values are usage errors too.
    r = run({"backup", "one", "--level", "three"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("'--level' is invalid"), std::string::npos) << r.err;
    EXPECT_EQ(run({"snapshots", "--json"}).out.find("options-engine"), std::string::npos) << "no backup ran";
}

TEST_F(EngineOptionsCli, HelpListsEveryEnginesOptions) {
    auto r = ok({"backup", "--help"});
    EXPECT_NE(r.out.find("Options of the options-engine engine:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--table T"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--level N"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--out FILE"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("--rollback"), std::string::npos) << "a restore option, not backup's";
    r = ok({"restore", "--help"});
    EXPECT_NE(r.out.find("--rollback DB"), std::string::npos) << r.out;
    r = ok({"clone", "--help"});
    EXPECT_NE(r.out.find("Options of the options-engine engine:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--jobs N"), std::string::npos) << r.out;
}

TEST_F(EngineOptionsCli, RestoreOptionsReachTheEngine) {
    ok({"init", "--kdf-n", "1024"});
    ok({"backup", "one"});
    auto r = ok({"restore", "latest", "--target", "db2", "--dry-run", "--json"});
    const auto report = json::parse(r.out.substr(r.out.rfind("{\"type\":\"result\"")))["report"];
    EXPECT_EQ(report["options"], json({{"target", "db2"}, {"dry_run", true}})) << "not a path: left as given";
    EXPECT_EQ(report["streams"], 2);
}

TEST_F(EngineOptionsCli, StandaloneRestoreNeedsNoSnapshot) {
    // No repository exists at all: none is needed.
    auto r = ok({"restore", "--rollback", "app", "--source", "one"});
    EXPECT_NE(r.out.find("ran --rollback app on one (engine options-engine)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  options:\n    rollback: app\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  streams: 0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  metadata: {}"), std::string::npos) << r.out;

    r = ok({"restore", "--source-url", "optdb://x", "--rollback", "app", "--dry-run", "--no-keep-previous", "--json"});
    const auto result = json::parse(r.out);
    EXPECT_EQ(result["snapshot"], nullptr);
    EXPECT_EQ(result["engine"], "options-engine");
    EXPECT_EQ(result["report"]["options"],
              json({{"rollback", "app"}, {"keep_previous", false}, {"dry_run", true}}));

    r = run({"restore", "--source", "one"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "holdfast: restore needs a snapshot: an id, a prefix of one, or 'latest'; without one, only "
                     "--rollback of the options-engine engine; see 'holdfast restore --help'\n");
    r = run({"restore", "--target", "x", "--source", "one"});
    EXPECT_EQ(r.exit_code, 2) << "--target is no standalone option";
}

TEST_F(EngineOptionsCli, CloneWithinAndBetweenSources) {
    auto r = ok({"clone", "one", "app", "app_copy", "--jobs", "2", "--force"});
    EXPECT_NE(r.out.find("cloned database app of one into app_copy (engine options-engine)"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  options:\n    database: app\n    force: true\n    jobs: 2\n    target: app_copy\n"),
              std::string::npos)
        << r.out;

    r = ok({"clone", "one", "app", "app_copy", "--to", "two", "--dry-run", "--json"});
    const auto result = json::parse(r.out.substr(r.out.rfind("{\"type\":\"result\"")));
    EXPECT_EQ(result["to"], "two");
    EXPECT_EQ(result["dry_run"], true);
    EXPECT_EQ(result["report"]["from"]["label"], "first");
    EXPECT_EQ(result["report"]["to"]["label"], "second");
    EXPECT_EQ(result["report"]["options"]["dry_run"], true);

    r = run({"clone", "one", "app", "copy", "--to", "other"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("clone copies between sources of one engine"), std::string::npos) << r.err;
    r = run({"clone", "other", "app", "copy"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("engine \"test-engine\" cannot clone databases"), std::string::npos) << r.err;
    r = run({"clone", "one", "app"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("clone needs a source, a database and the new database's name"), std::string::npos) << r.err;
    r = run({"clone", "one", "app", "copy", "--rollback=x"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--rollback is not an option of holdfast clone or of the options-engine engine"),
              std::string::npos)
        << r.err;
}

}  // namespace
