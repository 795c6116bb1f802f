// The YAML structure of a configuration file: sections, keys, positions.
#include "config/example.hpp"
#include "config/load.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace holdfast::config {
namespace {

using testing::lines;
using testing::parsed;
using testing::scoped_env;
using Lines = std::vector<std::string>;

TEST(Load, ReadsEverySection) {
    parsed p(R"(repository:
  location: s3://bucket/prefix
  password_env: HF_PASSWORD
  settings:
    region: eu-west-1
sources:
  - name: app
    engine: sqlite
    settings:
      path: /var/lib/app.db
  - name: billing.main
    engine: postgresql
plugins:
  enable: [sqlite, postgresql, s3]
  disable: [exec]
)");
    EXPECT_EQ(lines(p.problems), Lines{});
    const config& cfg = p.cfg;
    EXPECT_EQ(cfg.file, std::filesystem::path("holdfast.yaml"));
    ASSERT_TRUE(cfg.repository);
    EXPECT_EQ(cfg.repository->location, "s3://bucket/prefix");
    EXPECT_EQ(cfg.repository->scheme(), "s3");
    EXPECT_EQ(cfg.repository->location_at.line, 2);
    EXPECT_EQ(cfg.repository->location_at.column, 13);
    ASSERT_TRUE(cfg.repository->password);
    EXPECT_EQ(cfg.repository->password->from, secret_source::kind::env);
    EXPECT_EQ(cfg.repository->password->text, "HF_PASSWORD");
    EXPECT_EQ(cfg.repository->settings.node["region"].Scalar(), "eu-west-1");

    ASSERT_EQ(cfg.sources.size(), 2u);
    EXPECT_EQ(cfg.sources[0].name, "app");
    EXPECT_EQ(cfg.sources[0].engine, "sqlite");
    EXPECT_EQ(cfg.sources[0].engine_at.line, 8);
    EXPECT_EQ(cfg.sources[0].settings.prefix, "sources[0] \"app\" ");
    EXPECT_EQ(cfg.sources[0].settings.node["path"].Scalar(), "/var/lib/app.db");
    EXPECT_EQ(cfg.sources[1].name, "billing.main");
    EXPECT_TRUE(cfg.sources[1].settings.node.IsNull());
    ASSERT_NE(cfg.find_source("billing.main"), nullptr);
    EXPECT_EQ(cfg.find_source("billing.main")->engine, "postgresql");
    EXPECT_EQ(cfg.find_source("nope"), nullptr);

    EXPECT_EQ(cfg.plugins.enable, (std::vector<std::string>{"sqlite", "postgresql", "s3"}));
    EXPECT_EQ(cfg.plugins.disable, (std::vector<std::string>{"exec"}));
    ASSERT_EQ(cfg.enable_at.size(), 3u);
    EXPECT_EQ(cfg.enable_at[1].line, 14);
    EXPECT_EQ(cfg.enable_at[1].column, 20);
}

TEST(Load, EmptyFileIsAnEmptyConfiguration) {
    for (const char* text : {"", "# only a comment\n", "---\n"}) {
        parsed p(text);
        EXPECT_EQ(lines(p.problems), Lines{}) << text;
        EXPECT_FALSE(p.cfg.repository);
        EXPECT_TRUE(p.cfg.sources.empty());
    }
}

TEST(Load, UnknownTopLevelKeysAreErrors) {
    parsed p("repostory:\n  location: /x\nsources: []\ncolour: blue\n");
    EXPECT_EQ(lines(p.problems), (Lines{
                                     "holdfast.yaml:1:1: repostory: unknown top-level key; did you mean \"repository\"?",
                                     "holdfast.yaml:4:1: colour: unknown top-level key (expected repository, sources, plugins)",
                                 }));
}

TEST(Load, UnknownKeysInSectionsAreErrorsWithSuggestions) {
    parsed p(R"(repository:
  location: /x
  pasword_file: /etc/pw
sources:
  - name: app
    engin: sqlite
plugins:
  enabled: [sqlite]
)");
    EXPECT_EQ(lines(p.problems),
              (Lines{
                  "holdfast.yaml:3:3: repository.pasword_file: unknown key; did you mean \"password_file\"?",
                  "holdfast.yaml:5:5: sources[0] \"app\": missing required key \"engine\"",
                  "holdfast.yaml:6:5: sources[0] \"app\" engin: unknown key; did you mean \"engine\"?",
                  "holdfast.yaml:8:3: plugins.enabled: unknown key; did you mean \"enable\"?",
              }));
}

TEST(Load, SourceNamesAreUniqueAndValid) {
    parsed p(R"(sources:
  - name: app
    engine: sqlite
  - name: other
    engine: sqlite
  - name: app
    engine: postgresql
  - name: "my app"
    engine: sqlite
  - engine: sqlite
)");
    EXPECT_EQ(lines(p.problems),
              (Lines{
                  "holdfast.yaml:6:11: sources[2] \"app\" name: duplicate source name (first given on line 2)",
                  "holdfast.yaml:8:11: sources[3] name: \"my app\" is not a valid source name (letters, digits, '_', "
                  "'.' and '-' only)",
                  "holdfast.yaml:10:5: sources[4]: missing required key \"name\"",
              }));
    ASSERT_EQ(p.cfg.sources.size(), 2u);
    EXPECT_EQ(p.cfg.sources[0].engine, "sqlite");  // the first "app" is kept
}

TEST(Load, RepeatedKeysAreErrors) {
    parsed p("repository:\n  location: /a\n  location: /b\n");
    EXPECT_EQ(lines(p.problems),
              Lines{"holdfast.yaml:3:3: repository.location: duplicate key (first given on line 2)"});
    EXPECT_EQ(p.cfg.repository->location, "/a");
}

TEST(Load, WrongShapesAreErrors) {
    parsed p(R"(repository: /var/backups
sources:
  name: app
plugins:
  enable: sqlite
)");
    EXPECT_EQ(lines(p.problems),
              (Lines{
                  "holdfast.yaml:1:13: repository: expected a mapping, got a value",
                  "holdfast.yaml:3:3: sources: expected a list of sources, got a mapping",
                  "holdfast.yaml:5:11: plugins.enable: expected a list of plugin names, got a value",
              }));
}

TEST(Load, SettingsMustBeAMapping) {
    parsed p("sources:\n  - name: app\n    engine: sqlite\n    settings: [a, b]\n");
    EXPECT_EQ(lines(p.problems),
              Lines{"holdfast.yaml:4:15: sources[0] \"app\" settings: expected a mapping, got a list"});
}

TEST(Load, TopLevelMustBeAMapping) {
    parsed p("- repository\n- sources\n");
    EXPECT_EQ(lines(p.problems), Lines{"holdfast.yaml:1:1: the configuration must be a mapping of sections "
                                       "(repository, sources, plugins), not a list"});
}

TEST(Load, InvalidYamlIsReportedWithItsPosition) {
    parsed p("repository:\n  location: [/x\n");
    ASSERT_EQ(p.problems.all().size(), 1u);
    EXPECT_EQ(lines(p.problems)[0], "holdfast.yaml:3:1: invalid YAML: end of sequence flow not found");
}

TEST(Load, ASecondDocumentIsAnError) {
    parsed p("sources: []\n---\nsources: []\n");
    EXPECT_EQ(lines(p.problems), Lines{"holdfast.yaml:3:1: a second YAML document: the configuration is one "
                                       "document (remove the \"---\")"});
}

TEST(Load, ValuesAreInterpolated) {
    scoped_env root("HF_TEST_ROOT", "/srv");
    scoped_env unset("HF_TEST_UNSET", std::nullopt);
    parsed p(R"(repository:
  location: ${HF_TEST_ROOT}/backups/$${literal}
  password_command: ${HF_TEST_UNSET:-pass show hf}
sources:
  - name: ${HF_TEST_UNSET:-app}
    engine: sqlite
)");
    EXPECT_EQ(lines(p.problems), Lines{});
    EXPECT_EQ(p.cfg.repository->location, "/srv/backups/${literal}");
    EXPECT_EQ(p.cfg.repository->password->text, "pass show hf");
    EXPECT_EQ(p.cfg.repository->password->from, secret_source::kind::command);
    EXPECT_EQ(p.cfg.sources.at(0).name, "app");
}

TEST(Load, UnsetVariableIsAnErrorWithItsLine) {
    scoped_env unset("HF_TEST_UNSET", std::nullopt);
    parsed p("sources:\n  - name: app\n    engine: ${HF_TEST_UNSET}\n");
    EXPECT_EQ(lines(p.problems),
              Lines{"holdfast.yaml:3:13: sources[0] \"app\" engine: environment variable \"HF_TEST_UNSET\" is not set "
                    "(write ${HF_TEST_UNSET:-default} to give a default)"});
}

TEST(Load, OnlyOneFormOfThePassword) {
    parsed p("repository:\n  location: /x\n  password: hunter2\n  password_env: HF_PASSWORD\n");
    EXPECT_EQ(lines(p.problems), Lines{"holdfast.yaml:4:3: repository.password_env: give only one of password, "
                                       "password_env, password_file, password_command"});
    for (const auto& line : lines(p.problems)) EXPECT_EQ(line.find("hunter2"), std::string::npos);
}

TEST(Load, APluginCannotBeBothEnabledAndDisabled) {
    parsed p("plugins:\n  enable: [sqlite, exec]\n  disable:\n    - exec\n");
    EXPECT_EQ(lines(p.problems), Lines{"holdfast.yaml:4:7: plugins.disable[0]: \"exec\" is also in plugins.enable"});
}

TEST(Load, EveryProblemIsCollected) {
    scoped_env unset("HF_TEST_UNSET", std::nullopt);
    parsed p(R"(repository:
  location: ${HF_TEST_UNSET}
  extra: 1
sources:
  - name: a
    engine: x
    setings: {}
  - name: a
    engine: y
plugins:
  enable: [x]
  disable: [x]
verbose: true
)");
    EXPECT_EQ(lines(p.problems),
              (Lines{
                  "holdfast.yaml:2:13: repository.location: environment variable \"HF_TEST_UNSET\" is not set (write "
                  "${HF_TEST_UNSET:-default} to give a default)",
                  "holdfast.yaml:3:3: repository.extra: unknown key (expected location, password, password_env, "
                  "password_file, password_command, settings)",
                  "holdfast.yaml:7:5: sources[0] \"a\" setings: unknown key; did you mean \"settings\"?",
                  "holdfast.yaml:8:11: sources[1] \"a\" name: duplicate source name (first given on line 5)",
                  "holdfast.yaml:12:13: plugins.disable[0]: \"x\" is also in plugins.enable",
                  "holdfast.yaml:13:1: verbose: unknown top-level key (expected repository, sources, plugins)",
              }));
}

TEST(Load, RelativeFilePositionsUseTheNameAsGiven) {
    parsed p("colour: blue\n", "/etc/holdfast/holdfast.yaml");
    EXPECT_EQ(lines(p.problems),
              Lines{"/etc/holdfast/holdfast.yaml:1:1: colour: unknown top-level key (expected repository, sources, "
                    "plugins)"});
}

TEST(Load, SchemeOfALocation) {
    EXPECT_EQ(scheme_of("/var/backups/hf"), "file");
    EXPECT_EQ(scheme_of("relative/dir"), "file");
    EXPECT_EQ(scheme_of("file:///var/backups"), "file");
    EXPECT_EQ(scheme_of("s3://bucket/prefix"), "s3");
    EXPECT_EQ(scheme_of("SFTP://host/dir"), "sftp");
    EXPECT_EQ(scheme_of("/weird/path://x"), "file");
    EXPECT_EQ(file_location_path("/var/backups/./hf", "/etc"), std::filesystem::path("/var/backups/hf"));
    EXPECT_EQ(file_location_path("backups", "/etc/holdfast"), std::filesystem::path("/etc/holdfast/backups"));
    EXPECT_EQ(file_location_path("file:///srv/hf", "/etc"), std::filesystem::path("/srv/hf"));
    EXPECT_EQ(file_location_path("file://localhost/srv/hf", "/etc"), std::filesystem::path("/srv/hf"));
    EXPECT_EQ(file_location_path("file://srv/hf", "/etc"), std::nullopt);
    EXPECT_EQ(redact_location("s3://key:secret@host/bucket"), "s3://key:<secret>@host/bucket");
    EXPECT_EQ(redact_location("sftp://user@host/dir"), "sftp://user@host/dir");
    EXPECT_EQ(redact_location("/path/with:colon@at"), "/path/with:colon@at");
}

// The example printed by `holdfast config example` is examples/holdfast.yaml,
// and it is a valid configuration.
TEST(Load, ExampleIsTheExampleFileAndLoadsCleanly) {
    std::ifstream in(HOLDFAST_EXAMPLE_FILE);
    std::stringstream text;
    text << in.rdbuf();
    ASSERT_FALSE(text.str().empty());
    EXPECT_EQ(example_config(), text.str());

    scoped_env repo("HOLDFAST_REPOSITORY", std::nullopt);
    scoped_env host("PGHOST", std::nullopt);
    parsed p{std::string(example_config())};
    EXPECT_EQ(lines(p.problems), Lines{});
    EXPECT_EQ(p.cfg.repository->location, "/var/backups/holdfast");
    EXPECT_EQ(p.cfg.sources.size(), 2u);
}

}  // namespace
}  // namespace holdfast::config
