// exec settings and probe.
#include "exec_fixture.hpp"

#include <sys/stat.h>

namespace holdfast::testing {
namespace {

namespace fs = std::filesystem;
using exec_settings = exec_engine_test;
using json = nlohmann::json;

TEST_F(exec_settings, bad_settings_are_refused) {
    auto status = [&](const json& settings) -> hf_status {
        try {
            open(settings);
            return HF_OK;
        } catch (const client::plugin_error& e) {
            return e.code();
        }
    };
    EXPECT_EQ(status({{"backup_command", {"true"}}}), HF_OK);
    EXPECT_EQ(status(json::object()), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", json::array()}}), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", {"true", 3}}}), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", "   "}}), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", {"true"}}, {"stream_name", "../etc"}}), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", {"true"}}, {"environment", {{"A", 1}}}}), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", {"true"}}, {"environment", {{"A=B", "x"}}}}), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", {"true"}}, {"timeout_seconds", 0}}), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", {"true"}}, {"url", "exec://x"}}), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status({{"backup_command", {"true"}}, {"shell", true}}), HF_ERR_INVALID_ARGUMENT);
}

TEST_F(exec_settings, an_environment_value_never_appears_in_a_settings_error) {
    try {
        open({{"backup_command", {"true"}}, {"environment", {{"GOOD", "hunter2"}, {"BAD", 5}}}});
        FAIL();
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("BAD"), std::string::npos) << e.what();
    }
}

TEST_F(exec_settings, probe_finds_the_programs) {
    const auto report = json::parse(
        open({{"backup_command", {"cat", "/etc/hostname"}}, {"restore_command", "gzip -d | cat > /dev/null"}}).probe());
    EXPECT_EQ(report["reachable"], true) << report.dump();
    EXPECT_EQ(report["backup_command"]["found"], true);
    EXPECT_EQ(report["backup_command"]["command"], "cat");
    EXPECT_TRUE(fs::path(report["backup_command"]["executable"].get<std::string>()).is_absolute());
    EXPECT_EQ(report["restore_command"]["form"], "shell");
    EXPECT_EQ(report["restore_command"]["command"], "gzip");
    EXPECT_FALSE(report.contains("error"));
}

TEST_F(exec_settings, probe_reports_missing_and_non_executable_programs) {
    auto missing = json::parse(open({{"backup_command", {"holdfast-no-such-tool"}}}).probe());
    EXPECT_EQ(missing["reachable"], false);
    EXPECT_NE(missing["error"].get<std::string>().find("holdfast-no-such-tool"), std::string::npos);

    auto missing_in_shell = json::parse(open({{"restore_command", "holdfast-no-such-tool --restore"}}).probe());
    EXPECT_EQ(missing_in_shell["reachable"], false);

    const auto script = dir / "dump.sh";
    write_file(script, to_bytes("#!/bin/sh\necho hi\n"));
    auto not_executable = json::parse(open({{"backup_command", {script.string()}}}).probe());
    EXPECT_EQ(not_executable["reachable"], false);
    ::chmod(script.c_str(), 0755);
    auto executable = json::parse(
        open({{"backup_command", {"./dump.sh"}}, {"working_directory", dir.path().string()}}).probe());
    EXPECT_EQ(executable["reachable"], true) << executable.dump();

    // The child's PATH (from `environment`) is where programs are looked up.
    auto own_path = json::parse(
        open({{"backup_command", {"dump.sh"}}, {"environment", {{"PATH", dir.path().string()}}}}).probe());
    EXPECT_EQ(own_path["reachable"], true) << own_path.dump();
    memory_target target = backup({{"backup_command", {"dump.sh"}}, {"environment", {{"PATH", dir.path().string() + ":/usr/bin:/bin"}}}});
    EXPECT_EQ(to_string(target.data("stdout")), "hi\n");

    auto bad_dir = json::parse(open({{"backup_command", {"true"}}, {"working_directory", (dir / "nope").string()}}).probe());
    EXPECT_EQ(bad_dir["reachable"], false);
}

}  // namespace
}  // namespace holdfast::testing
