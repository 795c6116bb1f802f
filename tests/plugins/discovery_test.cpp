// Discovery: which manifests are found, in which order, which win, and what
// the plugin policy does. Nothing here needs a library except where a test
// loads the winner to prove which one it is.
#include "core/error.hpp"
#include "plugins/catalog.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace holdfast::plugins {
namespace {

using testing::fixture;
using testing::fixture_manifest;
using testing::manifest_json;
using testing::temp_dir;
using testing::write_file;
namespace fs = std::filesystem;

std::vector<std::string> names(const catalog& c) {
    std::vector<std::string> out;
    for (const auto& e : c.entries()) out.push_back(e.info != nullptr ? e.info->name : "<invalid>");
    return out;
}

std::vector<fs::path> files(const catalog& c) {
    std::vector<fs::path> out;
    for (const auto& e : c.entries()) out.push_back(e.manifest_file);
    return out;
}

const entry& entry_for(const catalog& c, const fs::path& manifest) {
    for (const auto& e : c.entries())
        if (e.manifest_file == manifest) return e;
    throw std::runtime_error("no entry for " + manifest.string());
}

TEST(Discovery, SortedWithinADirectoryAndOneLevelDeep) {
    temp_dir dir;
    const fs::path& d = dir.path();
    write_file(d / "b.json", manifest_json("b"));
    write_file(d / "a.json", manifest_json("a"));
    write_file(d / "c" / "z.json", manifest_json("cz"));
    write_file(d / "c" / "a.json", manifest_json("ca"));
    write_file(d / "c" / "deeper" / "d.json", manifest_json("too-deep"));
    write_file(d / "a.json.bak", manifest_json("backup"));
    write_file(d / "readme.txt", "not a manifest");
    write_file(d / ".hidden.json", manifest_json("hidden"));
    write_file(d / ".git" / "x.json", manifest_json("in-hidden-dir"));
    write_file(d / "0" / "first.json", manifest_json("zero"));

    catalog c = catalog::discover({d}, {});
    EXPECT_EQ(names(c), (std::vector<std::string>{"zero", "a", "b", "ca", "cz"}));
    EXPECT_EQ(files(c), (std::vector<fs::path>{d / "0" / "first.json", d / "a.json", d / "b.json", d / "c" / "a.json",
                                               d / "c" / "z.json"}));
    for (const auto& e : c.entries()) EXPECT_EQ(e.status, entry::state::ok) << e.reason;
}

TEST(Discovery, DirectoriesInTheOrderGivenAndMissingOnesSkipped) {
    temp_dir one, two;
    write_file(one.path() / "z.json", manifest_json("from-one"));
    write_file(two.path() / "a.json", manifest_json("from-two"));
    catalog c = catalog::discover({two.path(), "/nonexistent/holdfast-test", one.path()}, {});
    EXPECT_EQ(names(c), (std::vector<std::string>{"from-two", "from-one"}));
}

TEST(Discovery, FirstOfANameWinsAndLaterOnesAreShadowed) {
    temp_dir one, two;
    write_file(one.path() / "x.json", manifest_json("same"));
    write_file(two.path() / "x.json", manifest_json("same", "storage"));
    write_file(two.path() / "y.json", manifest_json("other"));
    catalog c = catalog::discover({one.path(), two.path()}, {});
    ASSERT_EQ(c.entries().size(), 3u);
    EXPECT_EQ(c.entries()[0].status, entry::state::ok);
    EXPECT_EQ(c.entries()[1].status, entry::state::shadowed);
    EXPECT_EQ(c.entries()[1].reason, "shadowed by " + (one.path() / "x.json").string());
    EXPECT_EQ(c.entries()[2].status, entry::state::ok);
    ASSERT_NE(c.find("same"), nullptr);
    EXPECT_EQ(c.find("same")->file, one.path() / "x.json");
    EXPECT_EQ(describe(c.entries()[1]), "plugin \"same\" (" + (two.path() / "x.json").string() +
                                            "): shadowed by " + (one.path() / "x.json").string());
}

TEST(Discovery, ShadowedFixtureIsReportedAndNotLoaded) {
    catalog c = catalog::discover({fixture("good"), fixture("shadow")}, {});
    const entry& shadowed = entry_for(c, fixture_manifest("shadow", "test-engine-shadow"));
    EXPECT_EQ(shadowed.status, entry::state::shadowed);
    EXPECT_EQ(shadowed.reason, "shadowed by " + fixture_manifest("good", "test-engine").string());
    c.load_all();
    EXPECT_EQ(shadowed.status, entry::state::shadowed);
    auto probe = nlohmann::json::parse(c.open_engine("test-engine", "{}").probe());
    EXPECT_EQ(probe["version"], "1.0.0");
}

TEST(Discovery, SearchOrderDecidesWhichCopyRuns) {
    catalog c = catalog::discover({fixture("shadow"), fixture("good")}, {});
    EXPECT_EQ(entry_for(c, fixture_manifest("good", "test-engine")).status, entry::state::shadowed);
    ASSERT_NE(c.find("test-engine"), nullptr);
    EXPECT_EQ(c.find("test-engine")->version, "2.0.0");
    auto probe = nlohmann::json::parse(c.open_engine("test-engine", "{}").probe());
    EXPECT_EQ(probe["version"], "2.0.0");
}

TEST(Discovery, TheSameDirectoryTwiceIsNotShadowing) {
    catalog c = catalog::discover({fixture("good"), fixture("good") / "." , fixture("good")}, {});
    EXPECT_EQ(c.entries().size(), 2u);
    for (const auto& e : c.entries()) EXPECT_EQ(e.status, entry::state::ok) << e.reason;
}

TEST(Discovery, InvalidManifestsAreListedWithTheirReason) {
    catalog c = catalog::discover({fixture("missing-field"), fixture("good")}, {});
    ASSERT_EQ(c.entries().size(), 3u);
    const entry& bad = c.entries()[0];
    EXPECT_EQ(bad.status, entry::state::invalid);
    EXPECT_EQ(bad.info, nullptr);
    EXPECT_EQ(describe(bad), "plugin manifest " + fixture_manifest("missing-field", "missing-kind").string() +
                                 ": missing required field \"kind\"");
    EXPECT_NE(c.find("test-engine"), nullptr);
}

TEST(Discovery, PolicyAllows) {
    EXPECT_TRUE((plugin_policy{}).allows("x"));
    EXPECT_TRUE((plugin_policy{{"x"}, {}}).allows("x"));
    EXPECT_FALSE((plugin_policy{{"x"}, {}}).allows("y"));
    EXPECT_FALSE((plugin_policy{{}, {"x"}}).allows("x"));
    EXPECT_FALSE((plugin_policy{{"x"}, {"x"}}).allows("x")) << "disable wins";
}

TEST(Discovery, EnableListDisablesEverythingElse) {
    catalog c = catalog::discover({fixture("good")}, plugin_policy{{"test-storage"}, {}});
    const entry& engine = entry_for(c, fixture_manifest("good", "test-engine"));
    EXPECT_EQ(engine.status, entry::state::disabled);
    EXPECT_EQ(engine.reason, "disabled by the configuration (not listed in plugins.enable)");
    EXPECT_EQ(c.find("test-engine"), nullptr);
    EXPECT_EQ(c.find_by_scheme("testdb", plugin_kind::engine), nullptr);
    EXPECT_NE(c.find("test-storage"), nullptr);
    try {
        c.engine("test-engine");
        FAIL() << "a disabled plugin was loaded";
    } catch (const plugin_unavailable& e) {
        EXPECT_EQ(std::string(e.what()), describe(engine));
        EXPECT_EQ(e.code(), exit_code::plugin);
    }
    c.load_all();
    EXPECT_EQ(engine.status, entry::state::disabled) << "load_all loads only enabled plugins";
}

TEST(Discovery, DisableList) {
    catalog c = catalog::discover({fixture("good"), fixture("shadow")}, plugin_policy{{}, {"test-engine"}});
    EXPECT_EQ(entry_for(c, fixture_manifest("good", "test-engine")).reason,
              "disabled by the configuration (listed in plugins.disable)");
    // The later copy stays shadowed: disabling a name does not promote it.
    EXPECT_EQ(entry_for(c, fixture_manifest("shadow", "test-engine-shadow")).status, entry::state::shadowed);
    EXPECT_EQ(c.find("test-engine"), nullptr);
}

TEST(Discovery, FindByScheme) {
    catalog c = catalog::discover({fixture("good"), fixture("shadow")}, {});
    ASSERT_NE(c.find_by_scheme("testdb", plugin_kind::engine), nullptr);
    EXPECT_EQ(c.find_by_scheme("testdb", plugin_kind::engine)->file, fixture_manifest("good", "test-engine"));
    ASSERT_NE(c.find_by_scheme("TestDB+TLS", plugin_kind::engine), nullptr);
    EXPECT_EQ(c.find_by_scheme("TestDB+TLS", plugin_kind::engine)->name, "test-engine");
    ASSERT_NE(c.find_by_scheme("memory", plugin_kind::storage), nullptr);
    EXPECT_EQ(c.find_by_scheme("memory", plugin_kind::storage)->name, "test-storage");
    EXPECT_EQ(c.find_by_scheme("memory", plugin_kind::engine), nullptr);
    EXPECT_EQ(c.find_by_scheme("s3", plugin_kind::storage), nullptr);
}

TEST(Discovery, FindBySchemeFirstInSearchOrder) {
    temp_dir one, two;
    write_file(one.path() / "b.json", manifest_json("b", "storage", "x.so", "1.0", R"(["s3"])"));
    write_file(one.path() / "a.json", manifest_json("a", "storage", "x.so", "1.0", R"(["file"])"));
    write_file(two.path() / "a.json", manifest_json("c", "storage", "x.so", "1.0", R"(["s3"])"));
    catalog c = catalog::discover({two.path(), one.path()}, {});
    ASSERT_NE(c.find_by_scheme("s3", plugin_kind::storage), nullptr);
    EXPECT_EQ(c.find_by_scheme("s3", plugin_kind::storage)->name, "c");
}

TEST(Discovery, NoPluginOfThatName) {
    catalog c = catalog::discover({fixture("good")}, {});
    EXPECT_EQ(c.find("absent"), nullptr);
    try {
        c.storage("absent");
        FAIL();
    } catch (const plugin_unavailable& e) {
        EXPECT_EQ(std::string(e.what()),
                  "no plugin named \"absent\" was found on the plugin search path (`holdfast plugins` lists what "
                  "was found)");
    }
}

}  // namespace
}  // namespace holdfast::plugins
