// Reading manifests: every field, the defaults, and one clear reason for each
// kind of mistake.
#include "plugins/manifest.hpp"
#include "plugins/settings_schema.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <holdfast/abi.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace holdfast::plugins {
namespace {

using nlohmann::json;
using testing::fixture;
using testing::temp_dir;

json full_manifest() {
    return json::parse(R"({
      "file_format_version": "1.0.0",
      "name": "postgresql",
      "kind": "engine",
      "library_path": "holdfast_postgresql.so",
      "abi_version": "1.0",
      "version": "2.3.1",
      "description": "PostgreSQL via pg_dump",
      "schemes": ["postgresql", "postgres"],
      "capabilities": ["backup", "restore", "detect"],
      "settings": {
        "type": "object",
        "properties": {
          "host": {"type": "string", "description": "Server", "default": "localhost"},
          "port": {"type": "integer", "default": 5432},
          "password": {"type": "string", "secret": true},
          "sslmode": {"type": "string", "enum": ["disable", "require"], "default": "require"}
        },
        "required": ["host"],
        "additionalProperties": false
      }
    })");
}

// The reason parse_manifest gives for `text`, or "" when it is accepted.
std::string reason_for(const json& text) {
    try {
        parse_manifest(text.dump(), "/plugins/x/x.json");
        return "";
    } catch (const manifest_error& e) {
        return e.what();
    }
}

TEST(Manifest, ReadsEveryField) {
    manifest m = parse_manifest(full_manifest().dump(), "/opt/plugins/postgresql/postgresql.json");
    EXPECT_EQ(m.file, "/opt/plugins/postgresql/postgresql.json");
    EXPECT_EQ(m.file_format_version, "1.0.0");
    EXPECT_EQ(m.name, "postgresql");
    EXPECT_EQ(m.kind, plugin_kind::engine);
    EXPECT_EQ(m.library, "/opt/plugins/postgresql/holdfast_postgresql.so");
    EXPECT_EQ(m.abi_major, 1);
    EXPECT_EQ(m.abi_minor, 0);
    EXPECT_EQ(m.version, "2.3.1");
    EXPECT_EQ(m.description, "PostgreSQL via pg_dump");
    EXPECT_EQ(m.schemes, (std::vector<std::string>{"postgresql", "postgres"}));
    EXPECT_EQ(m.capabilities, (std::vector<std::string>{"backup", "restore", "detect"}));
    EXPECT_EQ(m.settings_schema, full_manifest()["settings"]);
    EXPECT_TRUE(m.serves("postgres"));
    EXPECT_FALSE(m.serves("mysql"));
    EXPECT_TRUE(m.has_capability("detect"));
}

TEST(Manifest, ResolvesLibraryPaths) {
    json text = full_manifest();
    text["library_path"] = "../lib/./holdfast_pg.so";
    EXPECT_EQ(parse_manifest(text.dump(), "/a/b/pg.json").library, "/a/lib/holdfast_pg.so");
    text["library_path"] = "/usr/lib/x/holdfast_pg.so";
    EXPECT_EQ(parse_manifest(text.dump(), "/a/b/pg.json").library, "/usr/lib/x/holdfast_pg.so");
}

TEST(Manifest, OptionalFieldsHaveDefaults) {
    json text = full_manifest();
    for (const char* key : {"description", "schemes", "capabilities", "settings"}) text.erase(key);
    manifest m = parse_manifest(text.dump(), "/p/x.json");
    EXPECT_EQ(m.description, "");
    EXPECT_TRUE(m.schemes.empty());
    EXPECT_TRUE(m.capabilities.empty());
    EXPECT_EQ(m.settings_schema, json::parse(R"({"type":"object","properties":{},"additionalProperties":false})"));
}

struct bad_case {
    const char* label;
    std::function<void(json&)> change;
    std::string reason;
};

TEST(Manifest, RejectsMistakesWithOneLineReasons) {
    const std::vector<bad_case> cases = {
        {"not an object", [](json& m) { m = json::array(); }, "the manifest must be a JSON object"},
        {"missing kind", [](json& m) { m.erase("kind"); }, "missing required field \"kind\""},
        {"missing name", [](json& m) { m.erase("name"); }, "missing required field \"name\""},
        {"missing library", [](json& m) { m.erase("library_path"); }, "missing required field \"library_path\""},
        {"missing abi", [](json& m) { m.erase("abi_version"); }, "missing required field \"abi_version\""},
        {"missing version", [](json& m) { m.erase("version"); }, "missing required field \"version\""},
        {"missing format", [](json& m) { m.erase("file_format_version"); },
         "missing required field \"file_format_version\""},
        {"format major", [](json& m) { m["file_format_version"] = "2.0.0"; },
         "unsupported file_format_version \"2.0.0\": this host reads version 1.x manifests"},
        {"format shape", [](json& m) { m["file_format_version"] = "1.0"; },
         "field \"file_format_version\" must be MAJOR.MINOR.PATCH, like \"1.0.0\" (got \"1.0\")"},
        {"format type", [](json& m) { m["file_format_version"] = 1; },
         "field \"file_format_version\" must be a string like \"1.0.0\""},
        {"schemes string", [](json& m) { m["schemes"] = "sqlite"; }, "field \"schemes\" must be an array of strings"},
        {"schemes numbers", [](json& m) { m["schemes"] = {1, 2}; }, "field \"schemes\" must be an array of strings"},
        {"scheme case", [](json& m) { m["schemes"] = {"S3"}; },
         "field \"schemes\": \"S3\" is not a URL scheme (lower-case letter, then letters, digits, '+', '-' or '.')"},
        {"capabilities", [](json& m) { m["capabilities"] = json::object(); },
         "field \"capabilities\" must be an array of strings"},
        {"kind value", [](json& m) { m["kind"] = "database"; },
         "field \"kind\" must be \"engine\" or \"storage\" (got \"database\")"},
        {"kind type", [](json& m) { m["kind"] = 3; }, "field \"kind\" must be \"engine\" or \"storage\" (got 3)"},
        {"name type", [](json& m) { m["name"] = 7; }, "field \"name\" must be a non-empty string"},
        {"name shape", [](json& m) { m["name"] = "My Plugin"; },
         "field \"name\" must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit "
         "(got \"My Plugin\")"},
        {"empty library", [](json& m) { m["library_path"] = ""; }, "field \"library_path\" must be a non-empty string"},
        {"abi shape", [](json& m) { m["abi_version"] = "1"; },
         "field \"abi_version\" must be MAJOR.MINOR, like \"1.0\" (got \"1\")"},
        {"description type", [](json& m) { m["description"] = false; }, "field \"description\" must be a string"},
        {"unknown field", [](json& m) { m["capabilites"] = json::array(); }, "unknown field \"capabilites\""},
        {"settings type", [](json& m) { m["settings"] = "none"; },
         "field \"settings\" must be an object (a JSON Schema of type object)"},
        {"settings not object", [](json& m) { m["settings"]["type"] = "array"; },
         "settings: \"type\" must be \"object\""},
        {"settings keyword", [](json& m) { m["settings"]["properties"]["port"]["pattern"] = "^[0-9]+$"; },
         "settings.properties.port: unsupported keyword \"pattern\" (allowed: type, properties, required, enum, "
         "default, description, additionalProperties, items, minimum, maximum, secret)"},
        {"property type", [](json& m) { m["settings"]["properties"]["port"]["type"] = "int"; },
         "settings.properties.port: unknown type \"int\" (allowed: object, string, integer, number, boolean, array)"},
        {"property without type", [](json& m) { m["settings"]["properties"]["port"].erase("type"); },
         "settings.properties.port: missing \"type\""},
        {"default type", [](json& m) { m["settings"]["properties"]["port"]["default"] = "5432"; },
         "settings.properties.port: \"default\" \"5432\" is not of type \"integer\""},
        {"default not in enum", [](json& m) { m["settings"]["properties"]["sslmode"]["default"] = "verify"; },
         "settings.properties.sslmode: \"default\" \"verify\" is not one of \"enum\""},
        {"empty enum", [](json& m) { m["settings"]["properties"]["sslmode"]["enum"] = json::array(); },
         "settings.properties.sslmode: \"enum\" must be a non-empty array"},
        {"required unknown", [](json& m) { m["settings"]["required"] = {"hostname"}; },
         "settings: required setting \"hostname\" is not in \"properties\""},
        {"additional type", [](json& m) { m["settings"]["additionalProperties"] = "no"; },
         "settings: \"additionalProperties\" must be true, false or a settings schema"},
    };
    for (const auto& c : cases) {
        json text = full_manifest();
        c.change(text);
        EXPECT_EQ(reason_for(text), c.reason) << c.label;
    }
}

// The whole subset of plugins/settings_schema.hpp, as config validation enforces it.
json every_keyword_settings() {
    return json::parse(R"({
      "type": "object",
      "description": "Every keyword of the subset",
      "properties": {
        "command": {"type": ["array", "string"], "items": {"type": "string"},
                    "description": "argv or a shell line"},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 5432},
        "ratio": {"type": "number", "minimum": 0.5, "maximum": 1.5},
        "compression": {"type": ["integer", "boolean"], "minimum": 1, "maximum": 9, "default": false},
        "mode": {"type": "string", "enum": ["fast", "safe"], "default": "safe"},
        "tables": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "default": ["a"]},
        "limits": {"type": "object", "properties": {"rows": {"type": "integer", "minimum": 0}},
                   "required": ["rows"], "additionalProperties": false},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "pin": {"type": "integer", "secret": true},
        "keys": {"type": "array", "items": {"type": "string", "secret": true}},
        "credentials": {"type": "object", "secret": true, "additionalProperties": true}
      },
      "required": ["command"],
      "additionalProperties": false
    })");
}

TEST(Manifest, AcceptsEveryKeywordOfTheSettingsSubset) {
    json text = full_manifest();
    text["settings"] = every_keyword_settings();
    EXPECT_EQ(reason_for(text), "");
    EXPECT_EQ(parse_manifest(text.dump(), "/p/x.json").settings_schema, every_keyword_settings());

    // Each keyword of the shared list is used above, so this test follows the list.
    std::set<std::string> used;
    std::function<void(const json&)> collect = [&](const json& schema) {
        for (const auto& [key, value] : schema.items()) {
            used.insert(key);
            if (key == "properties")
                for (const auto& [name, property] : value.items()) collect(property);
            if ((key == "items" || key == "additionalProperties") && value.is_object()) collect(value);
        }
    };
    collect(every_keyword_settings());
    for (std::string_view keyword : settings_schema::keywords) EXPECT_TRUE(used.contains(std::string(keyword))) << keyword;
    std::set<std::string> types_used;
    std::function<void(const json&)> collect_types = [&](const json& schema) {
        for (const auto& type : settings_schema::types_of(schema)) types_used.insert(type);
        for (const char* key : {"items", "additionalProperties"})
            if (schema.contains(key) && schema[key].is_object()) collect_types(schema[key]);
        if (schema.contains("properties"))
            for (const auto& [name, property] : schema["properties"].items()) collect_types(property);
    };
    collect_types(every_keyword_settings());
    for (std::string_view type : settings_schema::type_names) EXPECT_TRUE(types_used.contains(std::string(type))) << type;
}

TEST(Manifest, RejectsSettingsOutsideTheSubsetWithOneLineReasons) {
    const std::string types = " (allowed: object, string, integer, number, boolean, array)";
    auto setting = [](const char* name, json schema) {
        return [name, schema](json& m) { m["settings"]["properties"][name] = schema; };
    };
    const std::vector<bad_case> cases = {
        {"type name in an array", setting("command", {{"type", {"array", "strng"}}}),
         "settings.properties.command: unknown type \"strng\"" + types},
        {"empty type array", setting("command", {{"type", json::array()}}),
         "settings.properties.command: \"type\" must not be an empty array" + types},
        {"type twice", setting("command", {{"type", {"string", "string"}}}),
         "settings.properties.command: \"type\" lists \"string\" twice"},
        {"type not a name", setting("command", {{"type", 5}}),
         "settings.properties.command: \"type\" must be a type name or an array of type names" + types},
        {"items on a string", setting("command", {{"type", "string"}, {"items", {{"type", "string"}}}}),
         "settings.properties.command: \"items\" applies only to type \"array\", not \"string\""},
        {"minimum on a string", setting("name", {{"type", {"string", "boolean"}}, {"minimum", 1}}),
         "settings.properties.name: \"minimum\" applies only to type \"integer\" or \"number\", not \"string\" or "
         "\"boolean\""},
        {"properties on an array", setting("list", {{"type", "array"}, {"properties", json::object()}}),
         "settings.properties.list: \"properties\" applies only to type \"object\", not \"array\""},
        {"minimum above maximum", setting("port", {{"type", "integer"}, {"minimum", 10}, {"maximum", 5}}),
         "settings.properties.port: \"minimum\" 10 is more than \"maximum\" 5"},
        {"minimum not a number", setting("port", {{"type", "integer"}, {"minimum", "1"}}),
         "settings.properties.port: \"minimum\" must be a number"},
        {"default below minimum", setting("port", {{"type", "integer"}, {"minimum", 1}, {"default", 0}}),
         "settings.properties.port: \"default\" 0 is less than \"minimum\" 1"},
        {"default item type", setting("tables", {{"type", "array"}, {"items", {{"type", "string"}}}, {"default", {"a", 1}}}),
         "settings.properties.tables: \"default\" [\"a\",1]: item 1 is not of type \"string\""},
        {"default of several types", setting("command", {{"type", {"array", "string"}}, {"default", 5}}),
         "settings.properties.command: \"default\" 5 is not of type \"array\" or \"string\""},
        {"enum value type", setting("command", {{"type", {"array", "string"}}, {"enum", {"a", true}}}),
         "settings.properties.command: \"enum\" value true is not of type \"array\" or \"string\""},
        {"nested keyword", setting("limits", {{"type", "object"}, {"properties", {{"rows", {{"type", "integer"}, {"format", "int32"}}}}}}),
         "settings.properties.limits.properties.rows: unsupported keyword \"format\" (allowed: type, properties, "
         "required, enum, default, description, additionalProperties, items, minimum, maximum, secret)"},
        {"nested required", setting("limits", {{"type", "object"}, {"properties", json::object()}, {"required", {"rows"}}}),
         "settings.properties.limits: required setting \"rows\" is not in \"properties\""},
        {"items without type", setting("tables", {{"type", "array"}, {"items", json::object()}}),
         "settings.properties.tables.items: missing \"type\""},
        {"items not a schema", setting("tables", {{"type", "array"}, {"items", "string"}}),
         "settings.properties.tables: \"items\" must be a settings schema (an object)"},
        {"default in items", setting("tables", {{"type", "array"}, {"items", {{"type", "string"}, {"default", "a"}}}}),
         "settings.properties.tables.items: \"default\" has no effect here (only settings listed in \"properties\" "
         "take a default)"},
        {"additional schema", setting("labels", {{"type", "object"}, {"additionalProperties", {{"type", "text"}}}}),
         "settings.properties.labels.additionalProperties: unknown type \"text\"" + types},
        {"secret not boolean", setting("pin", {{"type", "integer"}, {"secret", "yes"}}),
         "settings.properties.pin: \"secret\" must be true or false"},
        {"top-level keyword", [](json& m) { m["settings"]["secret"] = true; },
         "settings: unsupported keyword \"secret\" (allowed here: type, description, properties, required, "
         "additionalProperties)"},
        {"top-level type array", [](json& m) { m["settings"]["type"] = {"object", "string"}; },
         "settings: \"type\" must be \"object\""},
    };
    for (const auto& c : cases) {
        json text = full_manifest();
        c.change(text);
        EXPECT_EQ(reason_for(text), c.reason) << c.label;
    }
}

TEST(Manifest, DeeplyNestedSettingsAreRefused) {
    json schema = {{"type", "string"}};
    for (int i = 0; i < 40; ++i) schema = {{"type", "object"}, {"properties", {{"x", schema}}}};
    json text = full_manifest();
    text["settings"] = schema;
    EXPECT_NE(reason_for(text).find("settings nested more than 32 levels deep"), std::string::npos) << reason_for(text);
}

// The templates holdfast ships (and the example's) are valid manifests.
TEST(Manifest, ShippedTemplatesAreValid) {
    const std::filesystem::path root(HOLDFAST_SOURCE_DIR);
    for (const auto& file : {root / "manifests" / "exec.json.in", root / "manifests" / "sqlite.json.in",
                             root / "manifests" / "local.json.in", root / "examples" / "hello-engine" / "hello.json.in"}) {
        std::ifstream in(file);
        ASSERT_TRUE(in) << file;
        std::ostringstream buffer;
        buffer << in.rdbuf();
        std::string text = buffer.str();
        for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
                 {"@HOLDFAST_PLUGIN_NAME@", "x"}, {"@HOLDFAST_PLUGIN_KIND@", "engine"},
                 {"@HOLDFAST_PLUGIN_LIBRARY@", "x.so"}, {"@HOLDFAST_ABI_VERSION@", "1.0"},
                 {"@HOLDFAST_PLUGIN_VERSION@", "0.1.0"}})
            for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at))
                text.replace(at, from.size(), to);
        try {
            const manifest m = parse_manifest(text, file);
            if (file.filename() == "exec.json.in") {
                EXPECT_EQ(m.settings_schema["properties"]["backup_command"]["type"], json({"array", "string"}));
            }
        } catch (const manifest_error& e) {
            ADD_FAILURE() << file << ": " << e.what();
        }
    }
}

TEST(Manifest, NewerFormatMinorMayAddFields) {
    json text = full_manifest();
    text["file_format_version"] = "1.4.0";
    text["signature"] = "abc";
    text["settings"]["properties"]["port"]["pattern"] = "^[0-9]+$";
    EXPECT_EQ(reason_for(text), "");
    text["$schema"] = "https://example.invalid/manifest.schema.json";
    text["file_format_version"] = "1.0.2";
    text.erase("signature");
    text["settings"]["properties"]["port"].erase("pattern");
    EXPECT_EQ(reason_for(text), "") << "$schema is always allowed";
}

TEST(Manifest, InvalidJsonGivesLineAndColumn) {
    try {
        parse_manifest("{\n  \"name\": \"x\",\n  \"kind\" \"engine\"\n}", "/p/x.json");
        FAIL() << "accepted invalid JSON";
    } catch (const manifest_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("invalid JSON at line 3, column 17: syntax error", 0), 0u) << e.what();
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
}

TEST(Manifest, ReadsFixtureFiles) {
    manifest good = read_manifest(testing::fixture_manifest("good", "test-engine"));
    EXPECT_EQ(good.name, "test-engine");
    EXPECT_EQ(good.library, fixture("good") / "test-engine" / "holdfast_test-engine.so");
    EXPECT_TRUE(std::filesystem::exists(good.library));
    EXPECT_EQ(good.schemes, (std::vector<std::string>{"testdb", "testdb+tls"}));
    EXPECT_EQ(good.abi_major, HF_ABI_VERSION_MAJOR);

    EXPECT_THROW(read_manifest(testing::fixture_manifest("invalid-json", "bad-json")), manifest_error);
    try {
        read_manifest(testing::fixture_manifest("invalid-json", "bad-json"));
    } catch (const manifest_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("invalid JSON at line 4, column ", 0), 0u) << e.what();
    }
}

TEST(Manifest, UnreadableFile) {
    temp_dir dir;
    try {
        read_manifest(dir.path() / "absent.json");
        FAIL();
    } catch (const manifest_error& e) {
        EXPECT_EQ(std::string(e.what()), "cannot read the manifest: No such file or directory");
    }
}

// manifests/manifest.schema.json describes the same format as the parser.
TEST(Manifest, SchemaFileMatchesParser) {
    std::ifstream in(std::filesystem::path(HOLDFAST_SOURCE_DIR) / "manifests" / "manifest.schema.json");
    ASSERT_TRUE(in) << "manifests/manifest.schema.json is missing";
    json schema = json::parse(in);
    EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(schema["required"].get<std::set<std::string>>(),
              (std::set<std::string>{"file_format_version", "name", "kind", "library_path", "abi_version", "version"}));
    std::set<std::string> described;
    for (const auto& [key, value] : schema["properties"].items()) described.insert(key);
    const json example = full_manifest();
    for (const auto& [key, value] : example.items()) EXPECT_TRUE(described.contains(key)) << key;
    EXPECT_EQ(schema["properties"]["kind"]["enum"], json({"engine", "storage"}));

    // The settings subset: the same keywords and type names as settings_schema.hpp.
    auto keys_of = [](const json& object) {
        std::set<std::string> keys;
        for (const auto& [key, value] : object.items()) keys.insert(key);
        return keys;
    };
    auto as_set = [](const auto& words) { return std::set<std::string>(words.begin(), words.end()); };
    EXPECT_EQ(keys_of(schema["$defs"]["setting"]["properties"]), as_set(settings_schema::keywords));
    EXPECT_EQ(keys_of(schema["$defs"]["settings"]["properties"]), as_set(settings_schema::top_level_keywords));
    EXPECT_EQ(schema["$defs"]["typeName"]["enum"].get<std::set<std::string>>(), as_set(settings_schema::type_names));
}

}  // namespace
}  // namespace holdfast::plugins
