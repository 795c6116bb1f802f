// What `holdfast config check` reports, with plugins given by a fixed lookup.
#include "config/check.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace holdfast::config {
namespace {

using json = nlohmann::json;
using testing::parsed;
using testing::scoped_env;

constexpr const char* secret_value = "hunter2-Sup3rSecret";

plugins::manifest make_manifest(std::string name, plugins::plugin_kind kind, std::vector<std::string> schemes,
                                json schema) {
    plugins::manifest m;
    m.name = std::move(name);
    m.kind = kind;
    m.schemes = std::move(schemes);
    m.settings_schema = std::move(schema);
    return m;
}

// The exec engine's manifest as holdfast ships it (manifests/exec.json.in).
plugins::manifest exec_manifest() {
    const std::filesystem::path file = std::filesystem::path(HOLDFAST_SOURCE_DIR) / "manifests" / "exec.json.in";
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    std::string manifest = text.str();
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"@HOLDFAST_PLUGIN_LIBRARY@", "holdfast_exec.so"}, {"@HOLDFAST_ABI_VERSION@", "1.0"},
             {"@HOLDFAST_PLUGIN_VERSION@", "0.1.0"}})
        for (auto at = manifest.find(from); at != std::string::npos; at = manifest.find(from, at))
            manifest.replace(at, from.size(), to);
    return plugins::parse_manifest(manifest, file);
}

// Installed: engines sqlite, postgresql and exec, storage "local" for file://.
struct fake_plugins {
    std::map<std::string, plugins::manifest, std::less<>> engines{
        {"sqlite", make_manifest("sqlite", plugins::plugin_kind::engine, {"sqlite"}, json::parse(R"({
            "type": "object", "required": ["path"],
            "properties": {"path": {"type": "string"}, "timeout": {"type": "integer", "default": 30}}})"))},
        {"postgresql", make_manifest("postgresql", plugins::plugin_kind::engine, {"postgresql"}, json::parse(R"({
            "type": "object",
            "properties": {"host": {"type": "string"}, "password": {"type": "string", "secret": true}}})"))},
        {"exec", exec_manifest()},
    };
    // As the real local and an S3-like plugin declare them: the location arrives as "path" or "url".
    plugins::manifest local = make_manifest("local", plugins::plugin_kind::storage, {"file"}, json::parse(R"({
        "type": "object", "required": ["path"], "additionalProperties": false,
        "properties": {"path": {"type": "string"}, "create": {"type": "boolean", "default": false}}})"));
    plugins::manifest s3 = make_manifest("s3", plugins::plugin_kind::storage, {"s3"}, json::parse(R"({
        "type": "object", "required": ["url"], "additionalProperties": false,
        "properties": {"url": {"type": "string"}, "region": {"type": "string"}}})"));

    plugin_lookup lookup() const {
        plugin_lookup l;
        l.engine = [this](std::string_view name, std::string& why) -> const plugins::manifest* {
            if (auto it = engines.find(name); it != engines.end()) return &it->second;
            why = "no engine plugin named \"" + std::string(name) + "\" is installed";
            return nullptr;
        };
        l.storage = [this](std::string_view scheme, std::string& why) -> const plugins::manifest* {
            if (scheme == "file") return &local;
            if (scheme == "s3") return &s3;
            why = "no storage plugin serves \"" + std::string(scheme) + "\" locations";
            return nullptr;
        };
        l.known_names = {"sqlite", "postgresql", "exec", "local", "s3"};
        return l;
    }
};

struct outcome {
    int code = -1;
    std::string text;
    std::string json_text;
};

outcome run_check(const std::string& yaml) {
    fake_plugins installed;
    outcome o;
    for (bool as_json : {false, true}) {
        parsed p(yaml);
        auto report = check(p.cfg, installed.lookup(), p.problems);
        std::ostringstream out;
        int code = print_report(out, p.cfg, report, p.problems, as_json);
        (as_json ? o.json_text : o.text) = out.str();
        if (!as_json) o.code = code;
        else EXPECT_EQ(code, o.code);
    }
    return o;
}

TEST(Check, ValidConfigurationSaysOk) {
    auto o = run_check(R"(repository:
  location: /var/backups/hf
sources:
  - name: app
    engine: sqlite
    settings:
      path: /var/lib/app.db
  - name: billing
    engine: postgresql
)");
    EXPECT_EQ(o.code, 0);
    EXPECT_EQ(o.text, "ok: holdfast.yaml: 2 sources, repository /var/backups/hf\n");
    EXPECT_EQ(json::parse(o.json_text), json::parse(R"({
        "file": "holdfast.yaml", "valid": true,
        "repository": {"location": "/var/backups/hf", "scheme": "file",
                       "settings": {"path": "/var/backups/hf", "create": false}},
        "sources": [{"name": "app", "engine": "sqlite", "settings": {"path": "/var/lib/app.db", "timeout": 30}},
                    {"name": "billing", "engine": "postgresql", "settings": {}}],
        "problems": []})"));
}

TEST(Check, SingularAndNoRepository) {
    auto o = run_check("sources:\n  - name: app\n    engine: sqlite\n    settings: {path: /x}\n");
    EXPECT_EQ(o.code, 0);
    EXPECT_EQ(o.text, "ok: holdfast.yaml: 1 source, no repository\n");
}

TEST(Check, EveryProblemOnePerLineInFileOrder) {
    auto o = run_check(R"(repository:
  location: sftp://host/prefix
sources:
  - name: app
    engine: sqlit
  - name: web
    engine: sqlite
    settings:
      pth: /x
      timeout: soon
colour: blue
)");
    EXPECT_EQ(o.code, 2);
    EXPECT_EQ(o.text,
              "holdfast.yaml:2:13: repository.location: no storage plugin serves \"sftp\" locations\n"
              "holdfast.yaml:5:13: sources[0] \"app\" engine: no engine plugin named \"sqlit\" is installed\n"
              "holdfast.yaml:9:7: sources[1] \"web\" settings.pth: unknown setting; did you mean \"path\"?\n"
              "holdfast.yaml:9:7: sources[1] \"web\" settings: missing required setting \"path\"\n"
              "holdfast.yaml:10:16: sources[1] \"web\" settings.timeout: expected an integer, got \"soon\"\n"
              "holdfast.yaml:11:1: colour: unknown top-level key (expected repository, sources, plugins)\n");
    auto doc = json::parse(o.json_text);
    EXPECT_EQ(doc["valid"], false);
    ASSERT_EQ(doc["problems"].size(), 6u);
    EXPECT_EQ(doc["problems"][2], json::parse(R"({"file": "holdfast.yaml", "line": 9, "column": 7,
        "severity": "error", "message": "sources[1] \"web\" settings.pth: unknown setting; did you mean \"path\"?"})"));
}

// The exec engine's commands are an argv list or a shell line, as its manifest says.
TEST(Check, ExecCommandsMayBeAListOrAShellLine) {
    auto o = run_check(R"(sources:
  - name: dump
    engine: exec
    settings:
      backup_command: "pg_dump app | zstd -T0"
      restore_command: [psql, app]
      environment:
        PGPORT: 5432
)");
    EXPECT_EQ(o.code, 0) << o.text;
    EXPECT_EQ(o.text, "ok: holdfast.yaml: 1 source, no repository\n");
    EXPECT_EQ(json::parse(o.json_text)["sources"][0]["settings"], json::parse(R"({
        "backup_command": "pg_dump app | zstd -T0", "restore_command": ["psql", "app"],
        "environment": {"PGPORT": "5432"}, "stream_name": "stdout"})"));

    auto bad = run_check(R"(sources:
  - name: dump
    engine: exec
    settings:
      backup_command: {run: pg_dump}
      restore_command: [psql, [app]]
)");
    EXPECT_EQ(bad.code, 2);
    EXPECT_EQ(bad.text,
              "holdfast.yaml:5:23: sources[0] \"dump\" settings.backup_command: expected a list or a string, got a "
              "mapping\n"
              "holdfast.yaml:6:31: sources[0] \"dump\" settings.restore_command[1]: expected a string, got a list\n");
}

TEST(Check, UnknownPluginNamesInThePluginsSectionAreWarnings) {
    auto o = run_check("plugins:\n  enable: [sqlite, postgres]\n  disable: [redis]\n");
    EXPECT_EQ(o.code, 0);
    EXPECT_EQ(o.text,
              "holdfast.yaml:2:20: warning: plugins.enable[1]: no plugin named \"postgres\" was found; did you mean "
              "\"postgresql\"?\n"
              "holdfast.yaml:3:13: warning: plugins.disable[0]: no plugin named \"redis\" was found\n"
              "ok: holdfast.yaml: 0 sources, no repository\n");
}

TEST(Check, SecretsNeverAppearInTheOutput) {
    scoped_env env("HF_TEST_DB_PASSWORD", secret_value);
    auto o = run_check(std::string(R"(repository:
  location: sftp://backup:)") + secret_value + R"(@host/dir
  password_command: "echo )" + secret_value + R"(; exit 4"
sources:
  - name: billing
    engine: postgresql
    settings:
      password_env: HF_TEST_DB_PASSWORD
  - name: other
    engine: postgresql
    settings:
      password: )" + secret_value + R"(
  - name: app
    engine: sqlite
    settings:
      path_env: HF_TEST_DB_PASSWORD
)");
    EXPECT_EQ(o.code, 2);
    EXPECT_EQ(o.text,
              "holdfast.yaml:2:13: repository.location: no storage plugin serves \"sftp\" locations\n"
              "holdfast.yaml:3:21: repository.password_command: the command exited with status 4\n");
    EXPECT_EQ(o.text.find(secret_value), std::string::npos) << o.text;
    EXPECT_EQ(o.json_text.find(secret_value), std::string::npos) << o.json_text;
    auto doc = json::parse(o.json_text);
    EXPECT_EQ(doc["repository"]["location"], "sftp://backup:<secret>@host/dir");
    EXPECT_EQ(doc["sources"][0]["settings"], json({{"password", "<secret>"}}));
    EXPECT_EQ(doc["sources"][1]["settings"], json({{"password", "<secret>"}}));
    EXPECT_EQ(doc["sources"][2]["settings"], json({{"path", "<secret>"}, {"timeout", 30}}));
}

TEST(Check, SecretInTheLocationIsRedacted) {
    auto o = run_check("repository:\n  location: s3://key:pw@minio:9000/bucket\n  settings: {region: eu}\n");
    EXPECT_EQ(o.code, 0);
    EXPECT_EQ(o.text, "ok: holdfast.yaml: 0 sources, repository s3://key:<secret>@minio:9000/bucket\n");
    EXPECT_EQ(json::parse(o.json_text)["repository"]["settings"], json({{"url", "<secret>"}, {"region", "eu"}}));
}

TEST(Check, LocationReachesTheStoragePluginAsPathOrUrl) {
    auto local = run_check("repository:\n  location: file:///var/backups/hf/../holdfast\n  settings: {create: yes}\n");
    EXPECT_EQ(local.code, 0) << local.text;
    EXPECT_EQ(json::parse(local.json_text)["repository"]["settings"],
              json({{"path", "/var/backups/holdfast"}, {"create", true}}));

    auto s3 = run_check("repository:\n  location: s3://bucket/prefix\n");
    EXPECT_EQ(json::parse(s3.json_text)["repository"]["settings"], json({{"url", "s3://bucket/prefix"}}));

    auto twice = run_check("repository:\n  location: /a\n  settings:\n    path: /b\n");
    EXPECT_EQ(twice.code, 2);
    EXPECT_EQ(twice.text, "holdfast.yaml:4:5: repository.settings.path: already set by repository.location\n");

    auto no_path = run_check("repository:\n  location: file://backups\n");
    EXPECT_EQ(no_path.text, "holdfast.yaml:2:13: repository.location: a file:// URL needs an absolute path, like "
                            "file:///var/backups/holdfast\n");
}

}  // namespace
}  // namespace holdfast::config
