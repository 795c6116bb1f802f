// Secrets from X, X_env, X_file and X_command; their values never reach a message.
#include "config/secrets.hpp"
#include "config/settings.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace holdfast::config {
namespace {

using json = nlohmann::json;
using testing::lines;
using testing::parsed;
using testing::scoped_env;
using testing::temp_dir;
using testing::write_file;
using Lines = std::vector<std::string>;

const json schema = json::parse(R"({
  "type": "object",
  "properties": {
    "user": {"type": "string"},
    "password": {"type": "string", "secret": true},
    "token": {"type": "string"},
    "pin": {"type": "integer", "secret": true, "enum": [1234, 5678]}
  }
})");

constexpr const char* secret_value = "hunter2-Sup3rSecret";

struct resolved {
    parsed file;
    problem_list problems;
    resolved_settings settings;
    explicit resolved(const std::string& settings_lines, const std::filesystem::path& file_name = "holdfast.yaml")
        : file("sources:\n  - name: db\n    engine: test\n    settings:\n" + settings_lines, file_name),
          settings(resolve_settings(file.cfg.sources.at(0).settings, schema, problems)) {}

    void expect_no_secret_in_problems() const {
        for (const auto& line : lines(problems)) EXPECT_EQ(line.find(secret_value), std::string::npos) << line;
    }
};

TEST(Secrets, LiteralSecretPropertyIsRedacted) {
    resolved r(std::string("      user: backup\n      password: ") + secret_value + "\n");
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values["password"], secret_value);
    EXPECT_EQ(r.settings.redacted(), json::parse(R"({"user": "backup", "password": "<secret>"})"));
}

TEST(Secrets, FromTheEnvironment) {
    scoped_env env("HF_TEST_DB_PASSWORD", secret_value);
    resolved r("      password_env: HF_TEST_DB_PASSWORD\n");
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values, json({{"password", secret_value}}));
    EXPECT_EQ(r.settings.redacted(), json({{"password", "<secret>"}}));
}

TEST(Secrets, AnyValueFromEnvFileOrCommandIsSecretEvenIfTheSchemaDoesNotSaySo) {
    scoped_env env("HF_TEST_TOKEN", secret_value);
    resolved r("      user: backup\n      token_env: HF_TEST_TOKEN\n");
    EXPECT_EQ(r.settings.values["token"], secret_value);
    EXPECT_EQ(r.settings.redacted(), json::parse(R"({"user": "backup", "token": "<secret>"})"));
}

TEST(Secrets, UnsetOrEmptyVariableIsAnErrorNamingIt) {
    scoped_env unset("HF_TEST_UNSET", std::nullopt);
    scoped_env empty("HF_TEST_EMPTY", "");
    resolved r("      password_env: HF_TEST_UNSET\n      token_env: HF_TEST_EMPTY\n");
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:5:21: sources[0] \"db\" settings.password_env: environment variable "
                  "\"HF_TEST_UNSET\" is not set",
                  "holdfast.yaml:6:18: sources[0] \"db\" settings.token_env: environment variable \"HF_TEST_EMPTY\" "
                  "is empty",
              }));
    EXPECT_EQ(r.settings.values, json::object());
}

TEST(Secrets, FromAFileWithoutItsTrailingNewline) {
    temp_dir dir;
    auto file = write_file(dir.path() / "pw", std::string(secret_value) + "\n", 0600);
    resolved r("      password_file: " + file.string() + "\n");
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values["password"], secret_value);
    EXPECT_EQ(r.settings.redacted()["password"], "<secret>");
}

TEST(Secrets, RelativeFileIsTakenFromTheConfigurationDirectory) {
    temp_dir dir;
    write_file(dir.path() / "secrets/pw", "from-the-config-dir\r\n", 0600);
    resolved r("      password_file: secrets/pw\n", dir.path() / "holdfast.yaml");
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values["password"], "from-the-config-dir");
}

TEST(Secrets, FileReadableByOthersGetsAWarning) {
    temp_dir dir;
    auto file = write_file(dir.path() / "pw", secret_value, 0644);
    resolved r("      password_file: " + file.string() + "\n");
    EXPECT_FALSE(r.problems.has_errors());
    EXPECT_EQ(lines(r.problems),
              Lines{"holdfast.yaml:5:22: warning: sources[0] \"db\" settings.password_file: " + file.string() +
                    " is readable by group or others; restrict it with chmod go-rwx"});
    EXPECT_EQ(r.settings.values["password"], secret_value);
    r.expect_no_secret_in_problems();
}

TEST(Secrets, MissingOrEmptyFileIsAnError) {
    temp_dir dir;
    auto empty = write_file(dir.path() / "empty", "\n", 0600);
    resolved r("      password_file: " + (dir.path() / "missing").string() + "\n      token_file: " + empty.string() +
               "\n");
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:5:22: sources[0] \"db\" settings.password_file: cannot read " +
                      (dir.path() / "missing").string() + ": No such file or directory",
                  "holdfast.yaml:6:19: sources[0] \"db\" settings.token_file: " + empty.string() + " is empty",
              }));
}

TEST(Secrets, FromACommand) {
    resolved r(std::string("      password_command: \"printf '%s\\\\n' ") + secret_value + "\"\n");
    EXPECT_EQ(lines(r.problems), Lines{});
    EXPECT_EQ(r.settings.values["password"], secret_value);
}

TEST(Secrets, CommandSeesTheEnvironmentButNotOurStdin) {
    scoped_env env("HF_TEST_VALUE", "from-env");
    resolved r("      password_command: 'cat; printf %s \"$HF_TEST_VALUE\"'\n");
    EXPECT_EQ(lines(r.problems), Lines{"holdfast.yaml:5:25: sources[0] \"db\" settings.password_command: \"$\" must "
                                       "start ${NAME} or ${NAME:-default}; write \"$$\" for a literal \"$\""});
    resolved escaped("      password_command: 'cat; printf %s \"$$HF_TEST_VALUE\"'\n");
    EXPECT_EQ(lines(escaped.problems), Lines{});
    EXPECT_EQ(escaped.settings.values["password"], "from-env");
}

TEST(Secrets, FailingCommandNamesTheKeyNeverTheOutput) {
    resolved r(std::string("      password_command: \"echo ") + secret_value + "; exit 3\"\n" +
               "      token_command: \"kill -9 $$$$\"\n");
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:5:25: sources[0] \"db\" settings.password_command: the command exited with status 3",
                  "holdfast.yaml:6:22: sources[0] \"db\" settings.token_command: the command was killed by signal 9",
              }));
    r.expect_no_secret_in_problems();
}

TEST(Secrets, CommandPrintingNothingIsAnError) {
    resolved r("      password_command: \"true\"\n");
    EXPECT_EQ(lines(r.problems),
              Lines{"holdfast.yaml:5:25: sources[0] \"db\" settings.password_command: the command printed nothing"});
}

TEST(Secrets, OnlyOneFormOfASetting) {
    scoped_env env("HF_TEST_DB_PASSWORD", secret_value);
    resolved r(std::string("      password: ") + secret_value + "\n      password_env: HF_TEST_DB_PASSWORD\n" +
               "      token_file: /a\n      token_command: b\n");
    EXPECT_EQ(lines(r.problems),
              (Lines{
                  "holdfast.yaml:6:7: sources[0] \"db\" settings.password_env: give only one of password, "
                  "password_env, password_file, password_command",
                  "holdfast.yaml:8:7: sources[0] \"db\" settings.token_command: give only one of token, token_env, "
                  "token_file, token_command",
              }));
    EXPECT_FALSE(r.settings.values.contains("password"));
    r.expect_no_secret_in_problems();
}

TEST(Secrets, InvalidSecretValuesAreReportedWithoutTheValue) {
    scoped_env pin("HF_TEST_PIN", secret_value);
    scoped_env other("HF_TEST_OTHER_PIN", "9999");
    resolved bad_type("      pin_env: HF_TEST_PIN\n");
    EXPECT_EQ(lines(bad_type.problems),
              Lines{"holdfast.yaml:5:16: sources[0] \"db\" settings.pin_env: expected an integer"});
    resolved bad_enum("      pin_env: HF_TEST_OTHER_PIN\n");
    EXPECT_EQ(lines(bad_enum.problems),
              Lines{"holdfast.yaml:5:16: sources[0] \"db\" settings.pin_env: the value is not one of 1234, 5678"});
    resolved literal("      pin: 9999\n");
    EXPECT_EQ(lines(literal.problems),
              Lines{"holdfast.yaml:5:12: sources[0] \"db\" settings.pin: the value is not one of 1234, 5678"});
    bad_type.expect_no_secret_in_problems();
}

TEST(Secrets, RepositoryPassword) {
    scoped_env env("HF_TEST_REPO_PASSWORD", secret_value);
    parsed from_env("repository:\n  location: /x\n  password_env: HF_TEST_REPO_PASSWORD\n");
    EXPECT_EQ(repository_password(from_env.cfg), secret_value);

    parsed none("repository:\n  location: /x\n");
    EXPECT_EQ(repository_password(none.cfg), std::nullopt);

    parsed failing(std::string("repository:\n  location: /x\n  password_command: \"echo ") + secret_value +
                   "; exit 1\"\n");
    try {
        repository_password(failing.cfg);
        FAIL() << "no error";
    } catch (const config_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "holdfast.yaml:3:21: repository.password_command: the command exited with status 1");
    }
}

TEST(Secrets, SecretKeySuffixes) {
    auto env = split_secret_key("password_env");
    ASSERT_TRUE(env);
    EXPECT_EQ(env->base, "password");
    EXPECT_EQ(env->from, secret_source::kind::env);
    EXPECT_EQ(split_secret_key("key_command")->from, secret_source::kind::command);
    EXPECT_EQ(split_secret_key("x_file")->base, "x");
    EXPECT_FALSE(split_secret_key("_env"));
    EXPECT_FALSE(split_secret_key("password"));
}

}  // namespace
}  // namespace holdfast::config
