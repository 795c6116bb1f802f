// `holdfast plugins` through the real executable: the search path as a user
// sets it (environment, --plugin-path, the data directory, the build tree
// next to the executable), and broken plugins that do not fail the command.
#include "run_process.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using holdfast::plugins::testing::fixture;
using holdfast::plugins::testing::fixture_manifest;
using holdfast::plugins::testing::temp_dir;
using holdfast::testing::process_options;
using holdfast::testing::run_holdfast;
namespace fs = std::filesystem;

// Only what a test sets may steer the search.
process_options isolated() {
    process_options o;
    for (const char* name : {"HOLDFAST_PLUGIN_PATH", "HOLDFAST_ADD_PLUGIN_PATH", "XDG_DATA_HOME", "HOLDFAST_CONFIG",
                             "HOLDFAST_LOG"})
        o.env[name] = std::nullopt;
    o.env["HOME"] = "/nonexistent/holdfast-home";
    o.working_directory = "/";
    return o;
}

std::vector<std::string> manifests_listed(const std::string& json_text) {
    std::vector<std::string> out;
    for (const auto& item : nlohmann::json::parse(json_text)) out.push_back(item["manifest"].get<std::string>());
    return out;
}

TEST(PluginsCli, EnvironmentPathReplacesTheSearchAndBrokenPluginsAreReported) {
    process_options o = isolated();
    o.env["HOLDFAST_PLUGIN_PATH"] = fixture("good").string() + ":" + fixture("init-fails").string();
    auto r = run_holdfast({"plugins"}, o);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("test-engine"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("test-storage"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("holdfast: plugin \"init-fails\" (" + fixture_manifest("init-fails", "init-fails").string() +
                         "): init failed: licence file /etc/raw.licence is missing\n"),
              std::string::npos)
        << r.err;

    auto listed = run_holdfast({"plugins", "--json"}, o);
    EXPECT_EQ(manifests_listed(listed.out),
              (std::vector<std::string>{fixture_manifest("good", "test-engine").string(),
                                        fixture_manifest("good", "test-storage").string(),
                                        fixture_manifest("init-fails", "init-fails").string()}));
}

TEST(PluginsCli, CommandLinePathWins) {
    process_options o = isolated();
    o.env["HOLDFAST_PLUGIN_PATH"] = fixture("init-fails").string();
    auto r = run_holdfast({"plugins", "--json", "--plugin-path", fixture("shadow").string()}, o);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(manifests_listed(r.out),
              (std::vector<std::string>{fixture_manifest("shadow", "test-engine-shadow").string()}));
    EXPECT_EQ(r.err.find("init-fails"), std::string::npos) << r.err;
}

TEST(PluginsCli, DefaultSearchOrder) {
    temp_dir data;
    fs::create_directories(data.path() / "holdfast");
    fs::create_directory_symlink(fixture("good"), data.path() / "holdfast" / "plugins");
    process_options o = isolated();
    o.env["HOLDFAST_ADD_PLUGIN_PATH"] = fixture("shadow").string();
    o.env["XDG_DATA_HOME"] = data.path().string();
    auto r = run_holdfast({"plugins", "--json"}, o);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto list = nlohmann::json::parse(r.out);
    ASSERT_GE(list.size(), 3u) << r.out;
    // The additive path comes first, then the user's data directory...
    EXPECT_EQ(list[0]["manifest"], fixture_manifest("shadow", "test-engine-shadow").string());
    EXPECT_EQ(list[0]["state"], "ok");
    const std::string data_dir = (data.path() / "holdfast" / "plugins").string();
    EXPECT_EQ(list[1]["manifest"], data_dir + "/test-engine/test-engine.json");
    EXPECT_EQ(list[1]["state"], "shadowed");
    EXPECT_EQ(list[2]["manifest"], data_dir + "/test-storage/test-storage.json");
    EXPECT_EQ(list[2]["state"], "ok");
    // ...then the tree the executable runs from (the build tree's plugins, if
    // any are built), then the system directories.
    const fs::path prefix = fs::path(holdfast::testing::holdfast_exe()).parent_path().parent_path();
    const std::string own = (prefix / "lib" / "holdfast" / "plugins").string() + "/";
    bool seen_system = false;
    for (std::size_t i = 3; i < list.size(); ++i) {
        const std::string manifest = list[i]["manifest"];
        if (manifest.rfind(own, 0) == 0) EXPECT_FALSE(seen_system) << manifest << " after a system directory";
        else seen_system = true;
    }
}

}  // namespace
