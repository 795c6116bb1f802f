// The plugin search path: what replaces it, what adds to it, and its order.
#include "plugins/catalog.hpp"
#include "plugins/search_path.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace holdfast::plugins {
namespace {

using paths = std::vector<std::filesystem::path>;
using testing::env_guard;

search_environment everything_set() {
    search_environment e;
    e.plugin_path = "/env/one:/env/two";
    e.add_plugin_path = "/add/one::/add/two";
    e.xdg_data_home = "/xdg";
    e.home = "/home/op";
    e.executable = "/opt/holdfast/bin/holdfast";
    return e;
}

TEST(SearchPath, CommandLineReplacesEverything) {
    EXPECT_EQ(search_path({"/cli/a:/cli/b", "/cli/c"}, everything_set()), (paths{"/cli/a", "/cli/b", "/cli/c"}));
}

TEST(SearchPath, PluginPathVariableReplacesTheRest) {
    EXPECT_EQ(search_path({}, everything_set()), (paths{"/env/one", "/env/two"}));
}

TEST(SearchPath, DefaultOrder) {
    search_environment e = everything_set();
    e.plugin_path.reset();
    paths got = search_path({}, e);
    // The install directory may be listed twice (lib/ and a multiarch libdir),
    // or once when they are the same; the rest is fixed.
    ASSERT_GE(got.size(), 6u);
    EXPECT_EQ((paths{got.begin(), got.begin() + 4}),
              (paths{"/add/one", "/add/two", "/xdg/holdfast/plugins", "/opt/holdfast/lib/holdfast/plugins"}));
    EXPECT_EQ((paths{got.end() - 2, got.end()}),
              (paths{"/usr/local/lib/holdfast/plugins", "/usr/lib/holdfast/plugins"}));
}

TEST(SearchPath, DataDirectoryFallsBackToHome) {
    search_environment e = everything_set();
    e.plugin_path.reset();
    e.add_plugin_path.reset();
    e.xdg_data_home.reset();
    EXPECT_EQ(search_path({}, e).front(), "/home/op/.local/share/holdfast/plugins");
    e.xdg_data_home = "relative/dir";  // invalid per the XDG spec: ignored
    EXPECT_EQ(search_path({}, e).front(), "/home/op/.local/share/holdfast/plugins");
}

TEST(SearchPath, EmptyVariablesCountAsUnset) {
    search_environment e = everything_set();
    e.plugin_path = "";
    e.add_plugin_path = "";
    EXPECT_EQ(search_path({}, e).front(), "/xdg/holdfast/plugins");
}

TEST(SearchPath, DirectoriesAppearOnce) {
    search_environment e;
    e.executable = "/usr/bin/holdfast";  // installed with prefix /usr
    e.add_plugin_path = "/usr/lib/holdfast/plugins/:/x:/x";
    paths got = search_path({}, e);
    EXPECT_EQ(std::count(got.begin(), got.end(), "/usr/lib/holdfast/plugins"), 1);
    EXPECT_EQ(std::count(got.begin(), got.end(), "/x"), 1);
    EXPECT_EQ(got.front(), "/usr/lib/holdfast/plugins");
}

TEST(SearchPath, SplitsColonLists) {
    EXPECT_EQ(split_path_list("a:b::c:"), (paths{"a", "b", "c"}));
    EXPECT_TRUE(split_path_list("").empty());
}

TEST(SearchPath, ReadsTheRealEnvironment) {
    {
        env_guard replace("HOLDFAST_PLUGIN_PATH", "/p1:/p2");
        EXPECT_EQ(search_path(std::vector<std::string>{}), (paths{"/p1", "/p2"}));
        EXPECT_EQ(search_path(std::vector<std::string>{"/cli"}), (paths{"/cli"}));
    }
    env_guard replace("HOLDFAST_PLUGIN_PATH", std::nullopt);
    env_guard add("HOLDFAST_ADD_PLUGIN_PATH", "/added");
    env_guard xdg("XDG_DATA_HOME", "/data");
    paths got = search_path(std::vector<std::string>{});
    ASSERT_GE(got.size(), 3u);
    EXPECT_EQ(got[0], "/added");
    EXPECT_EQ(got[1], "/data/holdfast/plugins");
    // Relative to this test program, as for the holdfast executable.
    auto exe = std::filesystem::read_symlink("/proc/self/exe");
    EXPECT_EQ(got[2], exe.parent_path().parent_path() / "lib" / "holdfast" / "plugins");
}

}  // namespace
}  // namespace holdfast::plugins
