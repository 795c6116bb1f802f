// The test cluster itself (support/postgres_cluster.hpp) and the wide schema: what every
// other test here relies on, checked without holdfast.
#include "postgres_cluster.hpp"
#include "postgresql_cli_fixture.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>

namespace holdfast::testing::postgresql {
namespace {

namespace fs = std::filesystem;

using cluster_fixture = postgres_server_test;

TEST_F(cluster_fixture, StartsLoadsTheWideSchemaAndSumsItsTables) {
    auto& pg = cluster();
    EXPECT_GT(pg.port(), 0);
    EXPECT_TRUE(fs::exists(fs::path(pg.host()) / (".s.PGSQL." + std::to_string(pg.port()))));
    EXPECT_EQ(pg.scalar("postgres", "SHOW listen_addresses"), "127.0.0.1");
    EXPECT_EQ(pg.scalar("postgres", "SHOW fsync"), "off");
    EXPECT_EQ(pg.scalar("postgres", "SELECT current_setting('server_version_num')::int / 10000"),
              std::to_string(pg.major_version()));

    load_wide(pg, "fx_wide");
    EXPECT_TRUE(pg.database_exists("fx_wide"));
    const auto sums = pg.table_checksums("fx_wide");
    EXPECT_EQ(sums.at("public.customers").rows, 600);
    EXPECT_EQ(sums.at("public.orders").rows, 3000);
    for (const char* partition : {"public.orders_2023", "public.orders_2024", "public.orders_later"})
        EXPECT_GT(sums.at(partition).rows, 0) << partition;
    EXPECT_EQ(sums.at("public.orders_2023").rows + sums.at("public.orders_2024").rows +
                  sums.at("public.orders_later").rows,
              3000);
    EXPECT_EQ(sums.at("public.café_commandes").rows, 40);
    EXPECT_EQ(sums.at("public.documents").rows, 60);  // RLS does not hide rows from the superuser
    EXPECT_GT(sums.at("public.monthly_revenue").rows, 0);
    EXPECT_EQ(sums.at("inventory.stock").rows, 1600);
    EXPECT_EQ(sums.at("<large objects>").rows, 3);
    EXPECT_TRUE(sums.contains("public.invoice_numbers"));  // sequences are summed too
    EXPECT_FALSE(sums.contains("public.customer_totals"));  // views hold no rows of their own
    std::int64_t total = 0;
    for (const auto& [name, sum] : sums)
        if (name != "<large objects>") total += sum.rows;
    EXPECT_GT(total, 5000);

    // The sums are stable, and see a change of one row in one table only.
    EXPECT_EQ(pg.table_checksums("fx_wide"), sums);
    pg.exec("fx_wide", "UPDATE inventory.items SET description = 'changé' WHERE sku = 'SKU-00042'");
    const auto changed = pg.table_checksums("fx_wide");
    EXPECT_NE(changed.at("inventory.items"), sums.at("inventory.items"));
    EXPECT_EQ(changed.at("inventory.items").rows, sums.at("inventory.items").rows);
    auto rest_before = sums, rest_after = changed;
    rest_before.erase("inventory.items");
    rest_after.erase("inventory.items");
    EXPECT_EQ(rest_after, rest_before);
    // The trigger ran.
    EXPECT_EQ(pg.scalar("fx_wide", "SELECT revision FROM inventory.items WHERE sku = 'SKU-00042'"), "2");

    // The schema as pg_dump prints it, without what differs from one dump to the next.
    const auto schema = pg.schema_dump("fx_wide");
    EXPECT_NE(schema.find("CREATE TABLE public.customers"), std::string::npos);
    EXPECT_NE(schema.find("CREATE POLICY documents_readable"), std::string::npos);
    EXPECT_NE(schema.find("public.\"café_commandes\""), std::string::npos);
    EXPECT_NE(schema.find("ATTACH PARTITION public.orders_2023"), std::string::npos);
    EXPECT_EQ(schema.find("\n--"), std::string::npos);
    EXPECT_EQ(schema.find("\\restrict"), std::string::npos);
    EXPECT_EQ(pg.schema_dump("fx_wide"), schema);

    const auto properties = pg.database_properties("fx_wide");
    EXPECT_NE(properties.find("postgres | UTF8"), std::string::npos) << properties;

    pg.drop_database("fx_wide");
    EXPECT_FALSE(pg.database_exists("fx_wide"));
}

TEST_F(cluster_fixture, TwoLoadsOfTheWideSchemaHoldTheSameRows) {
    auto& pg = cluster();
    load_wide(pg, "fx_one");
    load_wide(pg, "fx_two");
    EXPECT_EQ(pg.table_checksums("fx_one"), pg.table_checksums("fx_two"));
    EXPECT_EQ(pg.schema_dump("fx_one"), pg.schema_dump("fx_two"));
    pg.drop_database("fx_one");
    pg.drop_database("fx_two");
}

TEST_F(cluster_fixture, PasswordModeAsksSecretiveForItsPasswordOverTcpOnly) {
    auto& pg = cluster();
    pg.exec("postgres",
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'secretive') THEN "
            "CREATE ROLE secretive LOGIN SUPERUSER; END IF; END $$; "
            "ALTER ROLE secretive PASSWORD 'fixture-password-1'");
    EXPECT_THROW(pg_session(pg.tcp_conninfo("postgres", "secretive")), std::runtime_error);
    EXPECT_THROW(pg_session(pg.tcp_conninfo("postgres", "secretive") + " password=wrong"), std::runtime_error);
    EXPECT_NO_THROW(pg_session(pg.tcp_conninfo("postgres", "secretive") + " password=fixture-password-1"));
    EXPECT_NO_THROW(pg_session(pg.conninfo("postgres", "secretive")));        // the socket is trusted
    EXPECT_NO_THROW(pg_session(pg.tcp_conninfo("postgres", "postgres")));     // other roles are trusted
    EXPECT_NO_THROW(pg_session(pg.url("postgres")));                          // URI with the socket
    EXPECT_NO_THROW(pg_session(pg.tcp_url("postgres")));
}

TEST_F(cluster_fixture, SessionsAreSeenAndASecondClusterIsSeparate) {
    auto& pg = cluster();
    pg_session session(pg.conninfo("postgres") + " application_name=fixture-session");
    session.exec("SELECT 1");
    EXPECT_EQ(pg.scalar("postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                    "'fixture-session' AND pid = " + std::to_string(session.backend_pid())),
              "1");

    postgres_cluster other;
    EXPECT_NE(other.port(), pg.port());
    EXPECT_NE(other.host(), pg.host());
    EXPECT_EQ(other.databases(), std::vector<std::string>{"postgres"});
    EXPECT_FALSE(other.role_exists("secretive"));
    other.create_database("only_here");
    EXPECT_TRUE(other.database_exists("only_here"));
    EXPECT_FALSE(pg.database_exists("only_here"));
}

TEST_F(cluster_fixture, APrunedInstallationCannotInstallTheExtensionsLeftOut) {
    std::unique_ptr<pruned_postgres_installation> pruned;
    try {
        pruned = std::make_unique<pruned_postgres_installation>(*postgres_cluster::find_bin_dir(),
                                                                std::vector<std::string>{"hstore"});
    } catch (const std::exception& e) {
        GTEST_SKIP() << "cannot make a copy of the installation without hstore: " << e.what();
    }
    postgres_cluster_options options;
    options.bin_dir = pruned->bin_dir();
    postgres_cluster without(options);
    EXPECT_EQ(without.scalar("postgres", "SELECT count(*) FROM pg_available_extensions WHERE name = 'hstore'"), "0");
    EXPECT_EQ(without.scalar("postgres", "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgcrypto'"), "1");
    EXPECT_THROW(without.exec("postgres", "CREATE EXTENSION hstore"), std::runtime_error);
    EXPECT_NO_THROW(without.exec("postgres", "CREATE EXTENSION pgcrypto"));
}

TEST_F(cluster_fixture, TheUnrestorableTablesMakePgRestoreFail) {
    auto& pg = cluster();
    pg.create_database("fx_poison");
    add_unrestorable_tables(pg, "fx_poison");
    const auto dir = fs::temp_directory_path() / ("holdfast-fx-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto archive = dir / "poison.dump";
    const auto dumped =
        pg.run_client("pg_dump", {"-Fc", "-Z0", "-f", archive.string(), "-d", pg.conninfo("fx_poison")});
    ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
    pg.create_database("fx_poison_copy");
    const auto restored =
        pg.run_client("pg_restore", {"--exit-on-error", "-d", pg.conninfo("fx_poison_copy"), archive.string()});
    EXPECT_NE(restored.exit_code, 0);
    EXPECT_NE(restored.err.find("zz_checked_known"), std::string::npos) << restored.err;
    fs::remove_all(dir);
    pg.drop_database("fx_poison");
    pg.drop_database("fx_poison_copy");
}

}  // namespace
}  // namespace holdfast::testing::postgresql
