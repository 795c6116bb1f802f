// The manifest's "options" (format 1.1): the command-line options an engine declares, read
// in order with their defaults, and one line for each kind of mistake.
#include "plugins/manifest.hpp"
#include "plugins/manifest_options.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace holdfast::plugins {
namespace {

using nlohmann::json;
using value_type = engine_option::value_type;

// Written as text: the order of the options is the manifest's, which a json object loses.
constexpr const char* with_options = R"({
  "file_format_version": "1.1.0",
  "name": "pg",
  "kind": "engine",
  "library_path": "holdfast_pg.so",
  "abi_version": "1.1",
  "version": "1.0.0",
  "options": {
    "restore": {
      "tables": {"type": "array", "flag": "table", "value_name": "T", "description": "a table"},
      "target": {"type": "string", "format": "path", "description": "where"},
      "jobs": {"type": "integer", "description": "how many"},
      "no_create_roles": {"type": "boolean", "description": "a switch"},
      "rollback": {"type": "string", "standalone": true, "description": "no snapshot needed"}
    },
    "backup": {},
    "clone": {"force": {"type": "boolean", "description": "x", "standalone": false}}
  }
})";

json base() { return json::parse(with_options); }

std::string reason_for(const json& text) {
    try {
        parse_manifest(text.dump(), "/plugins/pg/pg.json");
        return "";
    } catch (const manifest_error& e) {
        return e.what();
    }
}

TEST(ManifestOptions, ReadsOptionsInOrderWithTheirDefaults) {
    const manifest m = parse_manifest(with_options, "/p/pg.json");
    const auto& restore = m.options_for("restore");
    ASSERT_EQ(restore.size(), 5u);
    std::vector<std::string> keys;
    for (const auto& o : restore) keys.push_back(o.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"tables", "target", "jobs", "no_create_roles", "rollback"}));

    EXPECT_EQ(restore[0].type, value_type::array);
    EXPECT_EQ(restore[0].flag, "table");
    EXPECT_EQ(restore[0].value_name, "T");
    EXPECT_EQ(restore[0].description, "a table");
    EXPECT_TRUE(restore[1].path);
    EXPECT_EQ(restore[1].flag, "target");
    EXPECT_EQ(restore[2].type, value_type::integer);
    EXPECT_EQ(restore[3].flag, "no-create-roles") << "the key with '_' written '-'";
    EXPECT_EQ(restore[3].type, value_type::boolean);
    EXPECT_FALSE(restore[3].standalone);
    EXPECT_TRUE(restore[4].standalone);

    EXPECT_TRUE(m.options_for("backup").empty());
    EXPECT_TRUE(m.options_for("verify").empty()) << "a command not listed has no options";
    EXPECT_EQ(m.options_for("clone").size(), 1u);
}

TEST(ManifestOptions, Format10ManifestsStayValidAndCannotDeclareOptions) {
    json text = base();
    text["file_format_version"] = "1.0.0";
    text["abi_version"] = "1.0";
    json without = text;
    without.erase("options");
    EXPECT_EQ(reason_for(without), "");
    EXPECT_EQ(reason_for(text), "field \"options\" needs file_format_version 1.1.0 or later (this manifest says \"1.0.0\")");
}

TEST(ManifestOptions, NewerFormatMinorMayAddCommandsAndFields) {
    json text = base();
    text["file_format_version"] = "1.3.0";
    text["options"]["migrate"] = {{"x", {{"type", "boolean"}, {"description", "later"}}}};
    text["options"]["restore"]["jobs"]["minimum"] = 1;
    EXPECT_EQ(reason_for(text), "");
    const manifest m = parse_manifest(text.dump(), "/p/pg.json");
    EXPECT_TRUE(m.options_for("migrate").empty());
    EXPECT_EQ(m.options_for("restore").size(), 5u);
}

struct bad_case {
    const char* label;
    std::function<void(json&)> change;
    std::string reason;
};

TEST(ManifestOptions, RejectsMistakesWithOneLineReasons) {
    auto option = [](const char* command, const char* name, json value) {
        return [=](json& m) { m["options"][command][name] = value; };
    };
    const std::vector<bad_case> cases = {
        {"not an object", [](json& m) { m["options"] = json::array(); },
         "field \"options\" must be an object with commands (backup, restore, verify, clone) as keys"},
        {"unknown command", [](json& m) { m["options"]["bakup"] = json::object(); },
         "options: unknown command \"bakup\" (allowed: backup, restore, verify, clone)"},
        {"command not an object", [](json& m) { m["options"]["verify"] = json::array(); },
         "options.verify must be an object of options by name"},
        {"name not snake_case", option("verify", "Jobs", {{"type", "integer"}, {"description", "x"}}),
         "options.verify.Jobs: an option's name must be snake_case (a-z, 0-9 and '_', starting with a letter, at "
         "most 64 characters): it is the JSON key the engine receives"},
        {"option not an object", option("verify", "jobs", 4),
         "options.verify.jobs must be an object with \"type\" and \"description\""},
        {"unknown field", option("verify", "jobs", {{"type", "integer"}, {"description", "x"}, {"default", 1}}),
         "options.verify.jobs: unknown field \"default\" (allowed: type, description, flag, value_name, format, "
         "standalone)"},
        {"missing type", option("verify", "jobs", {{"description", "x"}}),
         "options.verify.jobs: missing \"type\" (allowed: boolean, string, integer, array)"},
        {"unknown type", option("verify", "jobs", {{"type", "number"}, {"description", "x"}}),
         "options.verify.jobs: unknown type \"number\" (allowed: boolean, string, integer, array)"},
        {"missing description", option("verify", "jobs", {{"type", "integer"}}),
         "options.verify.jobs: missing \"description\" (--help shows it)"},
        {"description type", option("verify", "jobs", {{"type", "integer"}, {"description", 3}}),
         "options.verify.jobs: \"description\" must be a string"},
        {"flag with dashes", option("verify", "jobs", {{"type", "integer"}, {"description", "x"}, {"flag", "--jobs"}}),
         "options.verify.jobs: \"flag\" must be the option's name without dashes: a-z, 0-9 and '-', like "
         "\"exclude-table\" (got \"--jobs\")"},
        {"flag empty", option("verify", "jobs", {{"type", "integer"}, {"description", "x"}, {"flag", ""}}),
         "options.verify.jobs: \"flag\" must be a non-empty string"},
        {"global flag", option("verify", "json", {{"type", "boolean"}, {"description", "x"}}),
         "options.verify.json: --json is a global option of holdfast; choose another \"flag\""},
        {"same flag twice", option("restore", "x_tables", {{"type", "array"}, {"description", "x"}, {"flag", "table"}}),
         "options.restore.x_tables: --table is also the flag of \"tables\"; give one of them another \"flag\""},
        {"value_name on a switch",
         option("restore", "force", {{"type", "boolean"}, {"description", "x"}, {"value_name", "X"}}),
         "options.restore.force: \"value_name\" applies only to options that take a value, not to type \"boolean\""},
        {"unknown format", option("restore", "target", {{"type", "string"}, {"description", "x"}, {"format", "uri"}}),
         "options.restore.target: \"format\" must be \"path\" (the only format this host knows)"},
        {"path on an integer", option("restore", "jobs", {{"type", "integer"}, {"description", "x"}, {"format", "path"}}),
         "options.restore.jobs: \"format\" applies only to type \"string\" or \"array\", not \"integer\""},
        {"standalone outside restore",
         option("clone", "force", {{"type", "boolean"}, {"description", "x"}, {"standalone", true}}),
         "options.clone.force: \"standalone\" applies only to restore options (a restore without a snapshot)"},
        {"standalone type", option("restore", "rollback", {{"type", "string"}, {"description", "x"}, {"standalone", 1}}),
         "options.restore.rollback: \"standalone\" must be true or false"},
        {"storage plugin", [](json& m) { m["kind"] = "storage"; },
         "field \"options\" is for engines; a storage plugin takes none"},
    };
    for (const auto& c : cases) {
        json text = base();
        c.change(text);
        EXPECT_EQ(reason_for(text), c.reason) << c.label;
    }
}

// The templates of the engines holdfast ships declare valid options.
TEST(ManifestOptions, ShippedEngineOptions) {
    auto read_template = [](const char* name) {
        std::ifstream in(std::filesystem::path(HOLDFAST_SOURCE_DIR) / "manifests" / name);
        std::ostringstream buffer;
        buffer << in.rdbuf();
        std::string text = buffer.str();
        for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
                 {"@HOLDFAST_PLUGIN_LIBRARY@", "x.so"}, {"@HOLDFAST_ABI_VERSION@", "1.1"},
                 {"@HOLDFAST_PLUGIN_VERSION@", "0.1.0"}})
            for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at)) text.replace(at, from.size(), to);
        return parse_manifest(text, std::filesystem::path("/p") / name);
    };
    const manifest sqlite = read_template("sqlite.json.in");
    ASSERT_EQ(sqlite.options_for("restore").size(), 1u);
    EXPECT_EQ(sqlite.options_for("restore")[0].key, "target");
    EXPECT_TRUE(sqlite.options_for("restore")[0].path) << "the host makes sqlite's --target absolute";

    const manifest pg = read_template("postgresql.json.in");
    std::set<std::string> flags;
    for (const auto& o : pg.options_for("backup")) flags.insert(o.flag);
    EXPECT_EQ(flags, (std::set<std::string>{"database", "exclude-database", "table", "exclude-table", "schema",
                                            "exclude-schema", "schema-only", "data-only", "no-globals",
                                            "role-passwords"}));
    std::set<std::string> standalone;
    for (const auto& o : pg.options_for("restore"))
        if (o.standalone) standalone.insert(o.key);
    EXPECT_EQ(standalone, std::set<std::string>{"rollback"});
    EXPECT_EQ(pg.options_for("verify").size(), 1u);
    EXPECT_EQ(pg.options_for("clone").size(), 4u);
    EXPECT_EQ(pg.settings_schema["additionalProperties"], false);
    EXPECT_TRUE(pg.settings_schema["properties"].contains("scratch_initdb"));
}

// manifests/manifest.schema.json describes the same options as the parser.
TEST(ManifestOptions, SchemaFileMatchesParser) {
    std::ifstream in(std::filesystem::path(HOLDFAST_SOURCE_DIR) / "manifests" / "manifest.schema.json");
    ASSERT_TRUE(in);
    const json schema = json::parse(in);
    std::set<std::string> commands, fields;
    for (const auto& [key, value] : schema["properties"]["options"]["properties"].items()) commands.insert(key);
    for (const auto& [key, value] : schema["$defs"]["option"]["properties"].items()) fields.insert(key);
    EXPECT_EQ(commands, std::set<std::string>(option_commands.begin(), option_commands.end()));
    EXPECT_EQ(fields, std::set<std::string>(option_fields.begin(), option_fields.end()));
    EXPECT_EQ(schema["$defs"]["option"]["properties"]["type"]["enum"].get<std::set<std::string>>(),
              std::set<std::string>(option_type_names.begin(), option_type_names.end()));
}

}  // namespace
}  // namespace holdfast::plugins
