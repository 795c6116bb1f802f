// `holdfast plugins`: the table, the JSON, and broken plugins reported on
// stderr without failing the command.
#include "cli/commands/commands.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace holdfast::cli {
namespace {

using plugins::testing::fixture;
using plugins::testing::fixture_manifest;

struct result {
    int code;
    std::string out;
    std::string err;
};

result run_plugins(const std::vector<std::string>& plugin_path, bool json) {
    global_options global;
    global.plugin_path = plugin_path;
    global.json = json;
    std::ostringstream out, err;
    context ctx{global, out, err};
    po::variables_map vm;
    int code = plugins_command().run(ctx, vm);
    return {code, out.str(), err.str()};
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

const std::vector<std::string> mixed_path = {
    fixture("good").string(), fixture("shadow").string(), fixture("init-fails").string(),
    fixture("invalid-json").string()};

TEST(PluginsCommand, TableListsEveryManifestAligned) {
    result r = run_plugins(mixed_path, false);
    EXPECT_EQ(r.code, 0);
    auto rows = lines(r.out);
    ASSERT_EQ(rows.size(), 6u) << r.out;  // header + 5 manifests
    const std::string& header = rows[0];
    EXPECT_EQ(header.rfind("NAME", 0), 0u);
    const std::size_t manifest_column = header.find("MANIFEST");
    const std::size_t status_column = header.find("STATUS");
    ASSERT_NE(manifest_column, std::string::npos);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_GT(rows[i].size(), status_column) << rows[i];
        EXPECT_EQ(rows[i][manifest_column], '/') << "misaligned: " << rows[i];
        EXPECT_EQ(rows[i][status_column - 1], ' ') << "misaligned: " << rows[i];
    }
    // Search order: good (engine, storage), shadow, init-fails, invalid-json.
    auto ends_with = [](const std::string& text, const std::string& tail) {
        return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
    };
    EXPECT_EQ(rows[1].rfind("test-engine ", 0), 0u);
    EXPECT_NE(rows[1].find(" engine "), std::string::npos);
    EXPECT_NE(rows[1].find(" 1.0.0 "), std::string::npos);
    EXPECT_NE(rows[1].find(" testdb,testdb+tls "), std::string::npos);
    EXPECT_NE(rows[1].find(" probe,backup,restore "), std::string::npos);
    EXPECT_NE(rows[1].find(fixture_manifest("good", "test-engine").string()), std::string::npos);
    EXPECT_TRUE(ends_with(rows[1], " ok")) << rows[1];
    EXPECT_EQ(rows[2].rfind("test-storage ", 0), 0u);
    EXPECT_TRUE(ends_with(rows[2], " ok")) << rows[2];
    EXPECT_TRUE(ends_with(rows[3], "shadowed by " + fixture_manifest("good", "test-engine").string())) << rows[3];
    EXPECT_TRUE(ends_with(rows[4], "init failed: licence file /etc/raw.licence is missing")) << rows[4];
    EXPECT_EQ(rows[5].rfind("- ", 0), 0u) << "an invalid manifest has no name: " << rows[5];
    EXPECT_NE(rows[5].find("invalid JSON at line 4"), std::string::npos) << rows[5];

    // Broken plugins (not shadowed ones) are also reported on stderr, one line each.
    auto errors = lines(r.err);
    ASSERT_EQ(errors.size(), 2u) << r.err;
    EXPECT_EQ(errors[0], "holdfast: plugin \"init-fails\" (" + fixture_manifest("init-fails", "init-fails").string() +
                             "): init failed: licence file /etc/raw.licence is missing");
    EXPECT_EQ(errors[1].rfind("holdfast: plugin manifest " + fixture_manifest("invalid-json", "bad-json").string() +
                                  ": invalid JSON at line 4",
                              0),
              0u)
        << errors[1];
}

TEST(PluginsCommand, JsonOutput) {
    result r = run_plugins(mixed_path, true);
    EXPECT_EQ(r.code, 0);
    auto list = nlohmann::json::parse(r.out);
    ASSERT_TRUE(list.is_array());
    ASSERT_EQ(list.size(), 5u);

    const auto& engine = list[0];
    EXPECT_EQ(engine["name"], "test-engine");
    EXPECT_EQ(engine["kind"], "engine");
    EXPECT_EQ(engine["version"], "1.0.0");
    EXPECT_EQ(engine["status"], "ok");
    EXPECT_EQ(engine["state"], "ok");
    EXPECT_TRUE(engine["reason"].is_null());
    EXPECT_EQ(engine["schemes"], nlohmann::json({"testdb", "testdb+tls"}));
    EXPECT_EQ(engine["capabilities"], nlohmann::json({"probe", "backup", "restore"}));
    EXPECT_EQ(engine["manifest"], fixture_manifest("good", "test-engine").string());
    EXPECT_EQ(engine["library"], (fixture("good") / "test-engine" / "holdfast_test-engine.so").string());

    EXPECT_EQ(list[2]["state"], "shadowed");
    EXPECT_EQ(list[3]["state"], "load_failed");
    EXPECT_EQ(list[3]["status"], "init failed: licence file /etc/raw.licence is missing");
    EXPECT_EQ(list[3]["reason"], list[3]["status"]);
    EXPECT_EQ(list[4]["state"], "invalid");
    EXPECT_TRUE(list[4]["name"].is_null());
    EXPECT_EQ(list[4]["schemes"], nlohmann::json::array());

    EXPECT_EQ(lines(r.err).size(), 2u) << "broken plugins are reported on stderr in JSON mode too";
}

TEST(PluginsCommand, NothingFound) {
    result text = run_plugins({"/nonexistent/holdfast-a:/nonexistent/holdfast-b"}, false);
    EXPECT_EQ(text.code, 0);
    EXPECT_EQ(text.out, "no plugin manifests found; searched: /nonexistent/holdfast-a, /nonexistent/holdfast-b\n");
    EXPECT_EQ(text.err, "");
    result json = run_plugins({"/nonexistent/holdfast-a"}, true);
    EXPECT_EQ(json.out, "[]\n");
}

TEST(PluginsCommand, Describes) {
    command c = plugins_command();
    EXPECT_EQ(c.name, "plugins");
    EXPECT_FALSE(c.summary.empty());
    EXPECT_NE(c.usage.find("--json"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::cli
