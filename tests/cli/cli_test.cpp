// The holdfast executable end to end: help, version, dispatch, exit codes,
// logging options. Runs the real binary as a user would.
#include "run_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

using holdfast::testing::run_holdfast;

namespace {

// No config file or plugin directories of the machine may leak into these tests.
holdfast::testing::process_options isolated() {
    holdfast::testing::process_options o;
    o.env["HOLDFAST_CONFIG"] = std::nullopt;
    o.env["HOLDFAST_LOG"] = std::nullopt;
    o.working_directory = "/";
    return o;
}

TEST(Cli, HelpListsEveryCommandAndExitCodes) {
    auto r = run_holdfast({"--help"}, isolated());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const char* name : {"plugins", "config check", "config example"})
        EXPECT_NE(r.out.find(name), std::string::npos) << name << " missing from:\n" << r.out;
    EXPECT_NE(r.out.find("--plugin-path"), std::string::npos);
    EXPECT_NE(r.out.find("Exit codes: 0 success"), std::string::npos);
}

TEST(Cli, NoCommandIsAUsageError) {
    auto r = run_holdfast({}, isolated());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("Usage: holdfast"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST(Cli, VersionNamesTheAbi) {
    auto r = run_holdfast({"--version"}, isolated());
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("holdfast ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("plugin ABI 1."), std::string::npos) << r.out;
}

TEST(Cli, UnknownCommandSuggestsTheClosestOne) {
    auto r = run_holdfast({"plugns"}, isolated());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "holdfast: unknown command 'plugns'; did you mean 'plugins'?; run 'holdfast --help' for the list\n");
}

TEST(Cli, GroupWithoutSubcommandSaysWhichExist) {
    auto r = run_holdfast({"config"}, isolated());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("'holdfast config' needs a subcommand: check, example"), std::string::npos) << r.err;

    auto help = run_holdfast({"config", "--help"}, isolated());
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("config check"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("config example"), std::string::npos) << help.out;
}

TEST(Cli, EveryCommandHasHelp) {
    for (std::vector<std::string> cmd : {std::vector<std::string>{"plugins"}, {"config", "check"}, {"config", "example"}}) {
        cmd.push_back("--help");
        auto r = run_holdfast(cmd, isolated());
        EXPECT_EQ(r.exit_code, 0) << cmd[0] << ": " << r.err;
        EXPECT_NE(r.out.find("Usage: holdfast " + cmd[0]), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("Global options"), std::string::npos) << r.out;
    }
}

TEST(Cli, UnknownOptionIsAUsageErrorPointingAtHelp) {
    auto r = run_holdfast({"plugins", "--no-such-option"}, isolated());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no-such-option"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("see 'holdfast plugins --help'"), std::string::npos) << r.err;
}

TEST(Cli, AbbreviatedOptionsAreNotGuessed) {
    auto r = run_holdfast({"plugins", "--js"}, isolated());
    EXPECT_EQ(r.exit_code, 2) << r.out;
}

TEST(Cli, BadLogLevelAndFormatAreUsageErrors) {
    auto level = run_holdfast({"plugins", "--log-level", "loud"}, isolated());
    EXPECT_EQ(level.exit_code, 2);
    EXPECT_NE(level.err.find("unknown log level 'loud' in --log-level"), std::string::npos) << level.err;

    auto env = isolated();
    env.env["HOLDFAST_LOG"] = "chatty";
    auto from_env = run_holdfast({"plugins"}, env);
    EXPECT_EQ(from_env.exit_code, 2);
    EXPECT_NE(from_env.err.find("unknown log level 'chatty' in HOLDFAST_LOG"), std::string::npos) << from_env.err;

    auto format = run_holdfast({"plugins", "--log-format", "xml"}, isolated());
    EXPECT_EQ(format.exit_code, 2);
    EXPECT_NE(format.err.find("unknown log format 'xml'"), std::string::npos) << format.err;
}

TEST(Cli, JsonLogFormatWritesJsonLinesOnStderr) {
    // An explicit config file that does not exist is an error, logged as JSON.
    auto r = run_holdfast({"config", "check", "--config", "/nonexistent/holdfast.yaml", "--log-format", "json"},
                          isolated());
    EXPECT_EQ(r.exit_code, 2);
    std::istringstream lines(r.err);
    std::string line;
    int parsed = 0;
    while (std::getline(lines, line)) {
        auto doc = nlohmann::json::parse(line);  // throws (fails the test) on a non-JSON line
        EXPECT_TRUE(doc.contains("level"));
        EXPECT_TRUE(doc.contains("message"));
        ++parsed;
    }
    EXPECT_GE(parsed, 1) << r.err;
}

TEST(Cli, GlobalOptionsWorkAfterTheCommand) {
    auto before = run_holdfast({"--json", "plugins", "--plugin-path", "/nonexistent"}, isolated());
    auto after = run_holdfast({"plugins", "--json", "--plugin-path", "/nonexistent"}, isolated());
    EXPECT_EQ(before.exit_code, 0) << before.err;
    EXPECT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(before.out, after.out);
    EXPECT_EQ(nlohmann::json::parse(after.out), nlohmann::json::array());
}

TEST(Cli, ConfigExampleIsCommentedYaml) {
    auto r = run_holdfast({"config", "example"}, isolated());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("repository:"), std::string::npos);
    EXPECT_NE(r.out.find("sources:"), std::string::npos);
    EXPECT_NE(r.out.find("# "), std::string::npos);
}

}  // namespace

namespace {

// The config file's plugins section reaches `holdfast plugins`.
TEST(Cli, ConfigDisablesAPluginForTheDeployment) {
    auto dir = std::filesystem::temp_directory_path() / ("holdfast-cli-policy-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream cfg(dir / "holdfast.yaml");
        cfg << "plugins:\n  disable: [local]\n";
    }
    auto options = isolated();
    auto r = run_holdfast({"plugins", "--json", "--config", (dir / "holdfast.yaml").string(), "--plugin-path",
                           HOLDFAST_PLUGIN_DIR},
                          options);
    std::filesystem::remove_all(dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto list = nlohmann::json::parse(r.out);
    bool seen = false;
    for (const auto& p : list) {
        if (p.at("name") != "local") continue;
        seen = true;
        EXPECT_EQ(p.at("state"), "disabled") << p.dump();
        EXPECT_NE(p.at("status").get<std::string>().find("plugins.disable"), std::string::npos) << p.dump();
    }
    EXPECT_TRUE(seen) << r.out;
}

}  // namespace
