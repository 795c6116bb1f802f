// The postgresql engine's parts that need no server.
#include "backup_options.hpp"
#include "database_catalog.hpp"
#include "database_names.hpp"
#include "globals_script.hpp"
#include "metadata.hpp"
#include "name_pattern.hpp"
#include "restore_options.hpp"
#include "settings.hpp"
#include "stream_names.hpp"

#include <holdfast/plugin/common.hpp>

#include <gtest/gtest.h>
#include <set>
#include <stdlib.h>

namespace pg = holdfast::engines::postgresql;
using holdfast::plugin::error;

namespace {

std::string message_of(const auto& call) {
    try {
        call();
    } catch (const error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(PostgresqlNamePattern, FoldsCaseWildcardsAndSchemas) {
    pg::name_pattern star("Ord*");
    EXPECT_TRUE(star.matches_table("public", "orders"));
    EXPECT_TRUE(star.matches_table("sales", "ord"));
    EXPECT_FALSE(star.matches_table("public", "Orders"));  // unquoted folds to lower case
    pg::name_pattern quoted("\"Orders\"");
    EXPECT_TRUE(quoted.matches_table("public", "Orders"));
    EXPECT_FALSE(quoted.matches_table("public", "orders"));
    pg::name_pattern dotted("sales.o?");
    EXPECT_TRUE(dotted.matches_table("sales", "ox"));
    EXPECT_FALSE(dotted.matches_table("public", "ox"));
    EXPECT_FALSE(dotted.matches_table("sales", "oxx"));
    pg::name_pattern dollar("a$b");  // a regex character is literal
    EXPECT_TRUE(dollar.matches_table("public", "a$b"));
}

TEST(PostgresqlNamePattern, FilterFollowsPgDumpRules) {
    pg::table_filter f;
    f.tables.emplace_back("orders");
    f.exclude_schemas.emplace_back("public");
    // pg_dump: with -t, the schema switches have no effect.
    EXPECT_TRUE(f.includes("public", "orders"));
    EXPECT_FALSE(f.includes("public", "customers"));
    pg::table_filter schemas;
    schemas.schemas.emplace_back("sales");
    schemas.exclude_tables.emplace_back("sales.tmp*");
    EXPECT_TRUE(schemas.includes("sales", "orders"));
    EXPECT_FALSE(schemas.includes("sales", "tmp_1"));
    EXPECT_FALSE(schemas.includes("public", "orders"));
    EXPECT_TRUE(pg::table_filter{}.includes("any", "thing"));
}

TEST(PostgresqlGlobalsScript, TakesOnlyTheMissingRolesStatements) {
    const std::string script =
        "SET default_transaction_read_only = off;\n"
        "CREATE ROLE app;\n"
        "ALTER ROLE app WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;\n"
        "CREATE ROLE \"Read \"\"Only\"\"\";\n"
        "ALTER ROLE \"Read \"\"Only\"\"\" WITH NOLOGIN;\n"
        "CREATE ROLE postgres;\n"
        "ALTER ROLE postgres WITH SUPERUSER;\n"
        "ALTER ROLE app SET search_path TO app, public;\n"
        "GRANT \"Read \"\"Only\"\"\" TO app GRANTED BY postgres;\n"
        "GRANT ghost TO app;\n"
        "GRANT ALL ON TABLESPACE fast TO app;\n";
    const auto statements = pg::role_statements(script, {"app", "Read \"Only\""}, {"postgres"});
    const std::vector<std::string> expected = {
        "CREATE ROLE app;",
        "ALTER ROLE app WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;",
        "CREATE ROLE \"Read \"\"Only\"\"\";",
        "ALTER ROLE \"Read \"\"Only\"\"\" WITH NOLOGIN;",
        "ALTER ROLE app SET search_path TO app, public;",
        "GRANT \"Read \"\"Only\"\"\" TO app GRANTED BY postgres;"};
    EXPECT_EQ(statements, expected);  // not postgres's, not a grant naming a role that will not exist
}

TEST(PostgresqlNames, SuffixSurvivesTruncationOnACharacterBoundary) {
    const std::string long_name = std::string(60, 'x') + "é";  // 62 bytes
    const std::string name = pg::suffixed_name(long_name, "_pre_restore_20261121101010");
    EXPECT_LE(name.size(), 63u);
    EXPECT_EQ(name.substr(name.size() - 27), "_pre_restore_20261121101010");
    EXPECT_EQ(pg::suffixed_name("app", "_x"), "app_x");
    const std::string cut = pg::suffixed_name(std::string(34, 'a') + "é", std::string(28, 's'));
    EXPECT_EQ(cut, std::string(34, 'a') + std::string(28, 's'));  // é would not fit whole: dropped
}

TEST(PostgresqlNames, RecognisesWhatARestoreMade) {
    EXPECT_TRUE(pg::made_by_restore("app_pre_restore_20261121101010"));
    EXPECT_TRUE(pg::made_by_restore("app_rolled_back_20261121101010"));
    EXPECT_TRUE(pg::made_by_restore("app_holdfast_1234"));
    EXPECT_FALSE(pg::made_by_restore("app"));
    EXPECT_FALSE(pg::made_by_restore("app_pre_restore_notes"));
    EXPECT_FALSE(pg::made_by_restore("_holdfast_1"));
}

TEST(PostgresqlNames, TwoRestoresInOneSecondGetDifferentNames) {
    std::set<std::string> existing;
    const auto taken = [&](const std::string& name) { return existing.count(name) > 0; };
    const std::string first = pg::previous_name("app", taken);
    existing.insert(first);
    const std::string second = pg::previous_name("app", taken);
    EXPECT_NE(first, second);
    EXPECT_LT(first, second);  // later sorts later: rollback takes the newest
    EXPECT_TRUE(pg::made_by_restore(second));
}

TEST(PostgresqlStreamNames, EncodeWhatStreamNamesCannotHold) {
    EXPECT_EQ(pg::database_stream("app"), "database.app");
    EXPECT_EQ(pg::database_stream("a.b/c\\d%e"), "database.a%2Eb%2Fc%5Cd%25e");
    EXPECT_EQ(pg::database_stream("café"), "database.café");
}

TEST(PostgresqlSettings, PasswordLeavesTheUrlAndNeverReachesMessages) {
    const auto s = pg::parse_settings(R"({"url": "postgresql://backup:s3cret-pw@db.example:6543/ops?sslmode=require"})");
    EXPECT_EQ(s.password, "s3cret-pw");
    for (const auto& [key, value] : s.connection) EXPECT_EQ(value.find("s3cret"), std::string::npos) << key;
    const std::string bad = message_of([] { pg::parse_settings(R"({"url": "postgresql://u:s3cret@h/x?nosuchparam=1"})"); });
    EXPECT_EQ(bad.find("s3cret"), std::string::npos) << bad;
    EXPECT_NE(bad, "(no error)");
}

TEST(PostgresqlSettings, PasswordFromEnvironmentOrFile) {
    ::setenv("HF_TEST_PG_PASSWORD", "from-env", 1);
    EXPECT_EQ(pg::parse_settings(R"({"password_env": "HF_TEST_PG_PASSWORD"})").password, "from-env");
    ::unsetenv("HF_TEST_PG_PASSWORD");
    EXPECT_NE(message_of([] { pg::parse_settings(R"({"password_env": "HF_TEST_PG_PASSWORD"})"); })
                  .find("HF_TEST_PG_PASSWORD, which is not set"),
              std::string::npos);
    EXPECT_NE(message_of([] { pg::parse_settings(R"({"password_env": "A", "password_file": "/x"})"); }).find("not both"),
              std::string::npos);
    EXPECT_NE(message_of([] { pg::parse_settings(R"({"hots": "x"})"); }).find("unknown key \"hots\""),
              std::string::npos);
}

TEST(PostgresqlOptions, RefuseCombinationsThatCannotWork) {
    EXPECT_NE(message_of([] { pg::parse_backup_options(R"({"schema_only": true, "data_only": true})"); }),
              "(no error)");
    EXPECT_NE(message_of([] { pg::parse_restore_options(R"({"tables": ["t"], "jobs": 4})"); }).find("one transaction"),
              std::string::npos);
    EXPECT_EQ(message_of([] { pg::parse_restore_options(R"({"tables": ["t"], "target": "x", "jobs": 4})"); }),
              "(no error)");
    EXPECT_NE(message_of([] { pg::parse_restore_options(R"({"rollback": "app", "target": "x"})"); }), "(no error)");
    EXPECT_NE(message_of([] { pg::parse_restore_options(R"({"jobs": 0})"); }).find("--jobs"), std::string::npos);
    EXPECT_TRUE(pg::parse_restore_options("{}").keep_previous);
}

TEST(PostgresqlCatalog, RolesOfAnAcl) {
    const auto roles = pg::acl_roles({"=Tc/owner", "owner=CTc/owner", "\"odd=name\"=c/owner", "reader=c/admin"});
    const std::vector<std::string> expected = {"admin", "odd=name", "owner", "reader"};
    EXPECT_EQ(roles, expected);
}

TEST(PostgresqlMetadata, RoundTripsAndRefusesOtherEngines) {
    pg::snapshot_metadata m;
    m.server_version = "15.4";
    m.server_version_num = 150004;
    pg::database_record d;
    d.name = "app";
    d.stream = "database.app";
    d.tables.push_back({"public", "t", 42, 8192});
    d.tables.push_back({"public", "u", std::nullopt, 0});
    m.databases.push_back(d);
    const auto back = pg::parse_metadata(pg::to_json(m).dump());
    ASSERT_EQ(back.databases.size(), 1u);
    EXPECT_EQ(back.databases[0].tables[0].rows, std::optional<std::uint64_t>(42));
    EXPECT_FALSE(back.databases[0].tables[1].rows.has_value());
    EXPECT_EQ(back.server_version_num, 150004);
    EXPECT_NE(message_of([] { pg::parse_metadata(R"({"engine": "sqlite"})"); }), "(no error)");
}
