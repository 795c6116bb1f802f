// Which configuration file is read: --config, HOLDFAST_CONFIG, ./holdfast.yaml,
// $XDG_CONFIG_HOME (or ~/.config), /etc.
#include "config/load.hpp"
#include "config/locate.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace holdfast::config {
namespace {

using testing::scoped_cwd;
using testing::scoped_env;
using testing::temp_dir;
using testing::write_file;

// A machine with its own /etc/holdfast/holdfast.yaml would change "nothing found".
bool system_config_exists() { return std::filesystem::exists("/etc/holdfast/holdfast.yaml"); }

struct Locate : ::testing::Test {
    temp_dir dir;
    std::filesystem::path home = dir.path() / "home";
    std::filesystem::path work = dir.path() / "work";
    scoped_env no_named{"HOLDFAST_CONFIG", std::nullopt};
    scoped_env no_xdg{"XDG_CONFIG_HOME", std::nullopt};
    scoped_env home_env{"HOME", home.string()};
    Locate() {
        std::filesystem::create_directories(home);
        std::filesystem::create_directories(work);
    }
};

TEST_F(Locate, ExplicitOptionComesFirst) {
    auto option = write_file(dir.path() / "option.yaml", "");
    auto named = write_file(dir.path() / "env.yaml", "");
    write_file(work / "holdfast.yaml", "");
    scoped_env env("HOLDFAST_CONFIG", named.string());
    scoped_cwd cwd(work);
    cli::global_options options;
    options.config = option;
    EXPECT_EQ(locate(options), option);
}

TEST_F(Locate, EnvironmentVariableComesBeforeTheWorkingDirectory) {
    auto named = write_file(dir.path() / "env.yaml", "");
    write_file(work / "holdfast.yaml", "");
    scoped_env env("HOLDFAST_CONFIG", named.string());
    scoped_cwd cwd(work);
    EXPECT_EQ(locate({}), named);
}

TEST_F(Locate, WorkingDirectoryComesBeforeTheUserConfig) {
    write_file(work / "holdfast.yaml", "");
    write_file(home / ".config/holdfast/holdfast.yaml", "");
    scoped_cwd cwd(work);
    EXPECT_EQ(locate({}), std::filesystem::path("holdfast.yaml"));
}

TEST_F(Locate, XdgConfigHomeReplacesDotConfig) {
    auto xdg = dir.path() / "xdg";
    auto file = write_file(xdg / "holdfast/holdfast.yaml", "");
    write_file(home / ".config/holdfast/holdfast.yaml", "");
    scoped_env env("XDG_CONFIG_HOME", xdg.string());
    scoped_cwd cwd(work);
    EXPECT_EQ(locate({}), file);
}

TEST_F(Locate, DotConfigWhenXdgConfigHomeIsUnsetOrRelative) {
    auto file = write_file(home / ".config/holdfast/holdfast.yaml", "");
    scoped_cwd cwd(work);
    EXPECT_EQ(locate({}), file);
    scoped_env relative("XDG_CONFIG_HOME", "relative/dir");
    EXPECT_EQ(locate({}), file);
}

TEST_F(Locate, DefaultLocationsInOrder) {
    scoped_env env("XDG_CONFIG_HOME", "/xdg");
    EXPECT_EQ(default_locations(), (std::vector<std::filesystem::path>{
                                       "holdfast.yaml", "/xdg/holdfast/holdfast.yaml", "/etc/holdfast/holdfast.yaml"}));
}

TEST_F(Locate, NothingFoundIsAnEmptyConfiguration) {
    if (system_config_exists()) GTEST_SKIP() << "/etc/holdfast/holdfast.yaml exists on this machine";
    scoped_cwd cwd(work);
    EXPECT_EQ(locate({}), std::nullopt);
    config cfg = load({});
    EXPECT_FALSE(cfg.file);
    EXPECT_FALSE(cfg.repository);
    EXPECT_TRUE(cfg.sources.empty());
}

TEST_F(Locate, NamedFileThatDoesNotExistIsAnError) {
    cli::global_options options;
    options.config = dir.path() / "missing.yaml";
    try {
        locate(options);
        FAIL() << "no error";
    } catch (const usage_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "configuration file " + (dir.path() / "missing.yaml").string() + " (from --config) does not exist");
        EXPECT_EQ(e.code(), exit_code::usage);
    }
    scoped_env env("HOLDFAST_CONFIG", (dir.path() / "gone.yaml").string());
    try {
        locate({});
        FAIL() << "no error";
    } catch (const usage_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "configuration file " + (dir.path() / "gone.yaml").string() + " (from HOLDFAST_CONFIG) does not exist");
    }
}

TEST_F(Locate, LoadReadsTheLocatedFile) {
    auto file = write_file(dir.path() / "cfg.yaml", "repository:\n  location: /srv/backups\n");
    cli::global_options options;
    options.config = file;
    config cfg = load(options);
    EXPECT_EQ(cfg.file, file);
    ASSERT_TRUE(cfg.repository);
    EXPECT_EQ(cfg.repository->location, "/srv/backups");
}

TEST_F(Locate, LoadThrowsEveryErrorWithExitCodeUsage) {
    auto file = write_file(dir.path() / "cfg.yaml", "colour: blue\nrepository:\n  locaton: /x\n");
    cli::global_options options;
    options.config = file;
    try {
        load(options);
        FAIL() << "no error";
    } catch (const config_error& e) {
        EXPECT_EQ(e.code(), exit_code::usage);
        const std::string f = file.string();
        EXPECT_EQ(std::string(e.what()),
                  f + ":1:1: colour: unknown top-level key (expected repository, sources, plugins)\n" +  //
                      f + ":2:1: repository: missing required key \"location\"\n" +                     //
                      f + ":3:3: repository.locaton: unknown key; did you mean \"location\"?");
        EXPECT_EQ(e.problems().size(), 3u);
    }
}

TEST_F(Locate, UnreadableFileIsAProblem) {
    cli::global_options options;
    options.config = dir.path();  // a directory
    try {
        load(options);
        FAIL() << "no error";
    } catch (const config_error& e) {
        EXPECT_EQ(std::string(e.what()), dir.path().string() + ": cannot read the configuration file: it is a directory");
    }
}

}  // namespace
}  // namespace holdfast::config
