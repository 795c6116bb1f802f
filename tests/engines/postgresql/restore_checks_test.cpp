// The checks a restore runs before it changes anything (docs/engines/postgresql.md, Restore,
// step 1): roles the target lacks, extensions it cannot install, sessions on a database that
// would be replaced, a target that exists; and --dry-run. Every refusal is checked to have
// changed nothing: no database, no role, no temporary database.
#include "postgresql_cli_fixture.hpp"

#include <algorithm>
#include <memory>

namespace holdfast::testing::postgresql {
namespace {

using postgresql_restore_checks = postgresql_cli;

const std::vector<std::string> wide_roles{"hf_reader", "hf_writer", "hf_owner"};

TEST_F(postgresql_restore_checks, MissingRolesAreRefusedWithNoCreateRolesAndCreatedFromTheGlobalsOtherwise) {
    auto& pg = cluster();
    load_wide(pg, "roles_src");
    // A role the database does not refer to: a restore elsewhere must not create it.
    pg.exec("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hf_unrelated') THEN "
                        "CREATE ROLE hf_unrelated; END IF; END $$");
    const auto sums = pg.table_checksums("roles_src");
    const auto schema = pg.schema_dump("roles_src");
    postgres_cluster other;  // a second server: none of the roles
    add_source("pg", pg, {"roles_src"});
    add_source("other", other, {});
    init_repository();
    const auto id = backup("pg");
    const auto before = other.databases();

    const auto refused = hf({"restore", id, "--source", "other", "--target", "roles_copy", "--no-create-roles"});
    EXPECT_NE(refused.exit_code, 0);
    for (const auto& role : wide_roles)
        EXPECT_NE(all_output(refused).find(role), std::string::npos) << role << " not named:\n" << all_output(refused);
    EXPECT_EQ(other.databases(), before);
    for (const auto& role : wide_roles) EXPECT_FALSE(other.role_exists(role)) << role;

    // A dry run says what it would do and does none of it.
    hf_ok({"restore", id, "--source", "other", "--target", "roles_copy", "--dry-run"});
    EXPECT_EQ(other.databases(), before);
    for (const auto& role : wide_roles) EXPECT_FALSE(other.role_exists(role)) << role;

    // Without --no-create-roles the roles come from the globals stream (their CREATE ROLE and
    // ALTER ROLE lines: attributes and settings); only those the database refers to.
    const auto restored = hf_ok({"restore", id, "--source", "other", "--target", "roles_copy", "--json"});
    for (const auto& role : wide_roles) EXPECT_TRUE(other.role_exists(role)) << role;
    EXPECT_FALSE(other.role_exists("hf_unrelated"));
    EXPECT_EQ(other.scalar("postgres", "SELECT coalesce(array_to_string(s.setconfig, ','), '') FROM pg_roles r "
                                       "LEFT JOIN pg_db_role_setting s ON s.setrole = r.oid AND s.setdatabase = 0 "
                                       "WHERE r.rolname = 'hf_reader'"),
              "work_mem=8MB");
    EXPECT_EQ(other.scalar("postgres", "SELECT rolcanlogin::text || rolcreatedb::text FROM pg_roles "
                                       "WHERE rolname = 'hf_owner'"),
              "truetrue");
    const auto report = report_of(restored.out);
    std::vector<std::string> created;
    if (report.contains("roles_created"))
        for (const auto& r : report["roles_created"]) created.push_back(r.get<std::string>());
    std::sort(created.begin(), created.end());
    EXPECT_EQ(created, (std::vector<std::string>{"hf_owner", "hf_reader", "hf_writer"})) << report.dump(2);

    EXPECT_EQ(other.table_checksums("roles_copy"), sums);
    EXPECT_EQ(replace_all(other.schema_dump("roles_copy"), "roles_copy", "roles_src"), schema);
    EXPECT_EQ(databases_containing(other, "_holdfast_"), std::vector<std::string>{});
}

TEST_F(postgresql_restore_checks, ExtensionsTheTargetCannotInstallAreRefusedWithEveryOtherProblem) {
    // A server whose installation has no hstore: a copy of this machine's installation with
    // hstore's files left out of its extension directory (nothing of the system changes).
    std::unique_ptr<pruned_postgres_installation> pruned;
    try {
        pruned = std::make_unique<pruned_postgres_installation>(cluster().bin_dir(),
                                                                std::vector<std::string>{"hstore"});
    } catch (const std::exception& e) {
        GTEST_SKIP() << "cannot make a copy of the PostgreSQL installation without hstore: " << e.what();
    }
    postgres_cluster_options options;
    options.bin_dir = pruned->bin_dir();
    postgres_cluster bare(options);
    ASSERT_EQ(bare.scalar("postgres", "SELECT count(*) FROM pg_available_extensions WHERE name = 'hstore'"), "0");

    auto& pg = cluster();
    load_wide(pg, "ext_src");
    const auto hstore_version = pg.scalar("ext_src", "SELECT extversion FROM pg_extension WHERE extname = 'hstore'");
    add_source("pg", pg, {"ext_src"});
    add_source("bare", bare, {});
    init_repository();
    const auto id = backup("pg");
    const auto before = bare.databases();

    // Both problems at once: the extension and the roles.
    const auto refused = hf({"restore", id, "--source", "bare", "--target", "ext_copy", "--no-create-roles"});
    EXPECT_NE(refused.exit_code, 0);
    const auto message = all_output(refused);
    EXPECT_NE(message.find("hstore"), std::string::npos) << message;
    EXPECT_NE(message.find(hstore_version), std::string::npos) << "the version is not named:\n" << message;
    EXPECT_NE(message.find("hf_reader"), std::string::npos) << message;
    EXPECT_EQ(bare.databases(), before);

    // Allowed to create roles, it is still refused for the extension, before it creates any.
    const auto still = hf({"restore", id, "--source", "bare", "--target", "ext_copy"});
    EXPECT_NE(still.exit_code, 0);
    EXPECT_NE(all_output(still).find("hstore"), std::string::npos) << all_output(still);
    for (const auto& role : wide_roles) EXPECT_FALSE(bare.role_exists(role)) << role << " created before the refusal";
    EXPECT_EQ(bare.databases(), before);
}

TEST_F(postgresql_restore_checks, ConnectedSessionsAreRefusedUnlessTerminated) {
    auto& pg = cluster();
    load_wide(pg, "sess_db");
    const auto sums = pg.table_checksums("sess_db");
    add_source("pg", pg, {"sess_db"});
    init_repository();
    const auto id = backup("pg");

    pg_session session(pg.conninfo("sess_db") + " application_name=hf-test-session");
    session.exec("DELETE FROM public.audit_log WHERE id % 3 = 0");
    const auto modified = pg.table_checksums("sess_db");

    const auto refused = hf({"restore", id});
    EXPECT_NE(refused.exit_code, 0);
    const auto message = all_output(refused);
    EXPECT_NE(message.find(std::to_string(session.backend_pid())), std::string::npos) << "pid not listed:\n" << message;
    EXPECT_NE(message.find("hf-test-session"), std::string::npos) << "application not listed:\n" << message;
    EXPECT_EQ(pg.table_checksums("sess_db"), modified);
    EXPECT_EQ(databases_containing(pg, "sess_db_pre_restore_"), std::vector<std::string>{});
    EXPECT_NO_THROW(session.exec("SELECT 1"));

    // A restore into another database does not replace this one: the session is no obstacle.
    hf_ok({"restore", id, "--target", "sess_copy"});
    EXPECT_EQ(pg.table_checksums("sess_copy"), sums);
    EXPECT_NO_THROW(session.exec("SELECT 1"));

    hf_ok({"restore", id, "--terminate-connections"});
    EXPECT_EQ(pg.table_checksums("sess_db"), sums);
    EXPECT_THROW(session.exec("SELECT 1"), std::runtime_error) << "the session survived --terminate-connections";
}

TEST_F(postgresql_restore_checks, AnExistingTargetIsRefusedAndADryRunChangesNothing) {
    auto& pg = cluster();
    load_wide(pg, "dry_db");
    add_source("pg", pg, {"dry_db"});
    init_repository();
    const auto id = backup("pg");

    pg.create_database("dry_taken");
    pg.exec("dry_taken", "CREATE TABLE public.marker (x integer); INSERT INTO public.marker VALUES (1), (2)");
    const auto taken = pg.table_checksums("dry_taken");
    const auto refused = hf({"restore", id, "--target", "dry_taken"});
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(all_output(refused).find("dry_taken"), std::string::npos) << all_output(refused);
    EXPECT_EQ(pg.table_checksums("dry_taken"), taken);

    pg.exec("dry_db", "TRUNCATE public.audit_log");
    const auto modified = pg.table_checksums("dry_db");
    const auto before = pg.databases();
    const auto dry = hf_ok({"restore", id, "--dry-run", "--json"});
    const auto report = report_of(dry.out);
    EXPECT_EQ(report.value("dry_run", false), true) << dry.out;
    hf_ok({"restore", id, "--target", "dry_new", "--dry-run"});
    EXPECT_EQ(pg.table_checksums("dry_db"), modified);
    EXPECT_EQ(pg.databases(), before);
}

}  // namespace
}  // namespace holdfast::testing::postgresql
