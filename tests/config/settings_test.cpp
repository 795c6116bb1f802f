// Plugin settings validated against a settings schema, with line numbers.
#include "config/settings.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace holdfast::config {
namespace {

using json = nlohmann::json;
using testing::lines;
using testing::parsed;
using testing::scoped_env;
using Lines = std::vector<std::string>;

const json schema = json::parse(R"({
  "type": "object",
  "properties": {
    "path": {"type": "string", "description": "the database file"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 5432},
    "mode": {"type": "string", "enum": ["fast", "safe"], "default": "safe"},
    "ratio": {"type": "number", "minimum": 0, "maximum": 1},
    "verify": {"type": "boolean", "default": true},
    "tables": {"type": "array", "items": {"type": "string"}},
    "limits": {"type": "object", "properties": {"rows": {"type": "integer"}}, "required": ["rows"]}
  },
  "required": ["path"]
})");

// Settings of the first source of a configuration whose sources: section is `sources`.
struct resolved {
    parsed file;
    problem_list problems;
    resolved_settings settings;
    explicit resolved(const std::string& settings_yaml, const json& s = schema)
        : file("sources:\n  - name: app\n    engine: test\n" + settings_yaml),
          settings(resolve_settings(file.cfg.sources.at(0).settings, s, problems)) {}
};

TEST(Settings, ValidSettingsBecomeTypedJsonWithDefaults) {
    resolved r(R"(    settings:
      path: /var/lib/app.db
      port: "6432"
      ratio: 0.5
      tables: [users, orders]
      limits: {rows: 10}
)");
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values, json::parse(R"({"path": "/var/lib/app.db", "port": 6432, "ratio": 0.5,
        "tables": ["users", "orders"], "limits": {"rows": 10}, "mode": "safe", "verify": true})"));
    EXPECT_TRUE(r.settings.secrets.empty());
}

TEST(Settings, TypeMismatchesNameTheKeyAndLine) {
    resolved r(R"(    settings:
      path: [a, b]
      port: fifty
      ratio: lots
      verify: maybe
      tables: users
      limits:
        rows: 1.5
)");
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:5:13: sources[0] \"app\" settings.path: expected a string, got a list",
                  "holdfast.yaml:6:13: sources[0] \"app\" settings.port: expected an integer, got \"fifty\"",
                  "holdfast.yaml:7:14: sources[0] \"app\" settings.ratio: expected a number, got \"lots\"",
                  "holdfast.yaml:8:15: sources[0] \"app\" settings.verify: expected true or false, got \"maybe\"",
                  "holdfast.yaml:9:15: sources[0] \"app\" settings.tables: expected a list, got a value",
                  "holdfast.yaml:11:15: sources[0] \"app\" settings.limits.rows: expected an integer, got \"1.5\"",
              }));
}

TEST(Settings, UnknownSettingSuggestsTheClosestName) {
    resolved r("    settings:\n      pth: /x\n      path_fil: /y\n      colour: red\n");
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:5:7: sources[0] \"app\" settings.pth: unknown setting; did you mean \"path\"?",
                  "holdfast.yaml:5:7: sources[0] \"app\" settings: missing required setting \"path\"",
                  "holdfast.yaml:6:7: sources[0] \"app\" settings.path_fil: unknown setting; did you mean "
                  "\"path_file\"?",
                  "holdfast.yaml:7:7: sources[0] \"app\" settings.colour: unknown setting (known: limits mode path "
                  "port ratio tables verify)",
              }));
}

TEST(Settings, UnknownKeysPassWhenTheSchemaAllowsThem) {
    json open = {{"type", "object"}, {"additionalProperties", true}};
    resolved r("    settings:\n      anything: 12\n      quoted: \"12\"\n      flag: true\n      nested: {a: [1, x]}\n",
               open);
    EXPECT_EQ(lines(r.problems), Lines{});
    // Untyped values stay text: the plugin decides what "12" means.
    EXPECT_EQ(r.settings.values, json::parse(R"({"anything": "12", "quoted": "12", "flag": "true",
        "nested": {"a": ["1", "x"]}})"));
}

// Like the exec plugin's "environment": an object listing no properties.
TEST(Settings, ObjectWithoutPropertiesIsAFreeFormMapping) {
    scoped_env env("HF_TEST_PGPASSWORD", "pw-from-env");
    json exec = json::parse(R"({"type": "object", "additionalProperties": false,
        "properties": {"environment": {"type": "object"}}})");
    resolved r("    settings:\n      environment:\n        PGPORT: 5432\n        PGPASSWORD_env: HF_TEST_PGPASSWORD\n",
               exec);
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values, json::parse(R"({"environment": {"PGPORT": "5432", "PGPASSWORD": "pw-from-env"}})"));
    EXPECT_EQ(r.settings.redacted(),
              json::parse(R"({"environment": {"PGPORT": "5432", "PGPASSWORD": "<secret>"}})"));
}

TEST(Settings, PluginWithoutSettingsRejectsAny) {
    json none = {{"type", "object"}, {"properties", json::object()}, {"additionalProperties", false}};
    for (const json& schema_given : {none, json()}) {
        resolved r("    settings:\n      path: /x\n", schema_given);
        EXPECT_EQ(lines(r.problems), Lines{"holdfast.yaml:5:7: sources[0] \"app\" settings.path: unknown setting; no "
                                           "settings are accepted here"});
    }
}

TEST(Settings, MissingRequiredSettings) {
    resolved with_settings("    settings:\n      port: 5432\n      limits: {}\n");
    EXPECT_EQ(lines(with_settings.problems),
              (Lines{
                  "holdfast.yaml:5:7: sources[0] \"app\" settings: missing required setting \"path\"",
                  "holdfast.yaml:6:15: sources[0] \"app\" settings.limits: missing required setting \"rows\"",
              }));
    // Without any settings, the problem is placed at the source.
    resolved without("");
    EXPECT_EQ(lines(without.problems),
              Lines{"holdfast.yaml:2:5: sources[0] \"app\" settings: missing required setting \"path\""});
}

TEST(Settings, EnumViolationSuggestsAnAllowedValue) {
    resolved r("    settings:\n      path: /x\n      mode: saf\n");
    EXPECT_EQ(lines(r.problems), Lines{"holdfast.yaml:6:13: sources[0] \"app\" settings.mode: \"saf\" is not one of "
                                       "\"fast\", \"safe\"; did you mean \"safe\"?"});
}

TEST(Settings, MinimumAndMaximum) {
    resolved r("    settings:\n      path: /x\n      port: 0\n      ratio: 1.5\n");
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:6:13: sources[0] \"app\" settings.port: 0 is less than the minimum 1",
                  "holdfast.yaml:7:14: sources[0] \"app\" settings.ratio: 1.5 is more than the maximum 1",
              }));
    resolved high("    settings:\n      path: /x\n      port: 70000\n");
    EXPECT_EQ(lines(high.problems),
              Lines{"holdfast.yaml:6:13: sources[0] \"app\" settings.port: 70000 is more than the maximum 65535"});
}

// Settings of several types, like the exec engine's commands (an argv list or
// a shell line) and a level-or-switch.
const json several_types = json::parse(R"({
  "type": "object",
  "properties": {
    "command": {"type": ["array", "string"], "items": {"type": "string"}},
    "compression": {"type": ["integer", "boolean"], "minimum": 1, "maximum": 9}
  },
  "additionalProperties": false
})");

TEST(Settings, SettingOfSeveralTypesTakesEachForm) {
    resolved list("    settings:\n      command: [pg_dump, -Fc, app]\n      compression: 6\n", several_types);
    EXPECT_EQ(lines(list.problems), Lines{});
    EXPECT_EQ(list.settings.values, json::parse(R"({"command": ["pg_dump", "-Fc", "app"], "compression": 6})"));

    resolved line("    settings:\n      command: pg_dump app | zstd\n      compression: off\n", several_types);
    EXPECT_EQ(lines(line.problems), Lines{});
    EXPECT_EQ(line.settings.values, json::parse(R"({"command": "pg_dump app | zstd", "compression": false})"));
}

TEST(Settings, SettingOfSeveralTypesListsThemWhenNoneFits) {
    resolved r("    settings:\n      command: {run: pg_dump}\n      compression: 4.5\n", several_types);
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:5:16: sources[0] \"app\" settings.command: expected a list or a string, got a mapping",
                  "holdfast.yaml:6:20: sources[0] \"app\" settings.compression: expected an integer or a boolean, got "
                  "\"4.5\"",
              }));
    // Each form keeps its own rules: items for the list, the bounds for the integer.
    resolved nested("    settings:\n      command: [pg_dump, [x]]\n      compression: 12\n", several_types);
    EXPECT_EQ(lines(nested.problems),
              (Lines{
                  "holdfast.yaml:5:26: sources[0] \"app\" settings.command[1]: expected a string, got a list",
                  "holdfast.yaml:6:20: sources[0] \"app\" settings.compression: 12 is more than the maximum 9",
              }));
}

TEST(Settings, SecretWorksForEveryType) {
    const json secrets = json::parse(R"({
      "type": "object",
      "properties": {
        "pin": {"type": "integer", "secret": true},
        "keys": {"type": "array", "items": {"type": "string", "secret": true}},
        "credentials": {"type": "object", "secret": true},
        "tokens": {"type": "object", "additionalProperties": {"type": "string", "secret": true}}
      }
    })");
    resolved r("    settings:\n      pin: 1234\n      keys: [k1, k2]\n      credentials: {user: u, password: p}\n"
               "      tokens: {a: t1}\n",
               secrets);
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values["pin"], 1234);
    EXPECT_EQ(r.settings.redacted(), json::parse(R"({"pin": "<secret>", "keys": ["<secret>", "<secret>"],
        "credentials": "<secret>", "tokens": {"a": "<secret>"}})"));

    // A malformed secret is reported without its text.
    resolved bad("    settings:\n      pin: one-two-three-four\n", secrets);
    EXPECT_EQ(lines(bad.problems), Lines{"holdfast.yaml:5:12: sources[0] \"app\" settings.pin: expected an integer"});
}

TEST(Settings, EnumOnAList) {
    const json pairs = json::parse(R"({"type": "object", "properties": {
        "pair": {"type": "array", "items": {"type": "integer"}, "enum": [[1, 2], [3, 4]]}}})");
    resolved good("    settings:\n      pair: [3, 4]\n", pairs);
    EXPECT_EQ(lines(good.problems), Lines{});
    EXPECT_EQ(good.settings.values["pair"], json::parse("[3, 4]"));
    resolved bad("    settings:\n      pair: [2, 1]\n", pairs);
    EXPECT_EQ(lines(bad.problems),
              Lines{"holdfast.yaml:5:13: sources[0] \"app\" settings.pair: [2,1] is not one of [1,2], [3,4]"});
}

TEST(Settings, EveryProblemIsCollected) {
    resolved r(R"(    settings:
      pth: /x
      port: 99999
      mode: slow
      tables: [a, {b: 1}, c]
      verify: perhaps
)");
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:5:7: sources[0] \"app\" settings.pth: unknown setting; did you mean \"path\"?",
                  "holdfast.yaml:5:7: sources[0] \"app\" settings: missing required setting \"path\"",
                  "holdfast.yaml:6:13: sources[0] \"app\" settings.port: 99999 is more than the maximum 65535",
                  "holdfast.yaml:7:13: sources[0] \"app\" settings.mode: \"slow\" is not one of \"fast\", \"safe\"",
                  "holdfast.yaml:8:19: sources[0] \"app\" settings.tables[1]: expected a string, got a mapping",
                  "holdfast.yaml:9:15: sources[0] \"app\" settings.verify: expected true or false, got \"perhaps\"",
              }));
}

TEST(Settings, EmptyValueReadsAsNotGiven) {
    resolved r("    settings:\n      path: /x\n      port:\n");
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values["port"], 5432);
}

TEST(Settings, BooleansAcceptYamlSpellings) {
    resolved yes("    settings:\n      path: /x\n      verify: yes\n");
    EXPECT_EQ(yes.settings.values["verify"], true);
    resolved off("    settings:\n      path: /x\n      verify: Off\n");
    EXPECT_EQ(off.settings.values["verify"], false);
}

TEST(Settings, ValuesAreInterpolatedBeforeConversion) {
    scoped_env port("HF_TEST_PORT", "7000");
    scoped_env unset("HF_TEST_UNSET", std::nullopt);
    resolved r("    settings:\n      path: ${HF_TEST_UNSET:-/srv}/db\n      port: ${HF_TEST_PORT}\n");
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values["path"], "/srv/db");
    EXPECT_EQ(r.settings.values["port"], 7000);

    resolved missing("    settings:\n      path: /x\n      tables: [a, \"${HF_TEST_UNSET}\"]\n");
    EXPECT_EQ(lines(missing.problems),
              Lines{"holdfast.yaml:6:19: sources[0] \"app\" settings.tables[1]: environment variable "
                    "\"HF_TEST_UNSET\" is not set (write ${HF_TEST_UNSET:-default} to give a default)"});
}

TEST(Settings, RepositorySettingsUseTheirOwnPrefix) {
    parsed file("repository:\n  location: /x\n  settings:\n    pth: /y\n");
    problem_list problems;
    resolve_settings(file.cfg.repository->settings, schema, problems);
    EXPECT_EQ(lines(problems),
              (Lines{
                  "holdfast.yaml:4:5: repository.settings.pth: unknown setting; did you mean \"path\"?",
                  "holdfast.yaml:4:5: repository.settings: missing required setting \"path\"",
              }));
}

TEST(Settings, ThrowingFormListsEveryError) {
    parsed file("sources:\n  - name: app\n    engine: test\n    settings:\n      port: x\n");
    try {
        resolve_settings(file.cfg.sources.at(0).settings, schema);
        FAIL() << "no error";
    } catch (const config_error& e) {
        EXPECT_EQ(e.code(), exit_code::usage);
        EXPECT_EQ(std::string(e.what()),
                  "holdfast.yaml:5:7: sources[0] \"app\" settings: missing required setting \"path\"\n"
                  "holdfast.yaml:5:13: sources[0] \"app\" settings.port: expected an integer, got \"x\"");
    }
}

}  // namespace
}  // namespace holdfast::config
