// Backups of the wide schema restored every way the contract offers: into a new database,
// over the original (swap), rolled back, selectively, with --jobs; `dump` of a database
// stream; `clone`. Copies are compared by every table's rows, the schema as pg_dump prints
// it and, for the swap, the database's own properties.
#include "postgresql_cli_fixture.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace holdfast::testing::postgresql {
namespace {

namespace fs = std::filesystem;

using postgresql_round_trip = postgresql_cli;

// Rows changed in several tables (and schemas) after a backup: what a restore must undo.
void modify(const postgres_cluster& pg, const std::string& db) {
    pg.exec(db, R"sql(
        DELETE FROM public.audit_log WHERE id > 400;
        UPDATE public.customers SET tags = tags || ARRAY['changed'] WHERE id % 2 = 0;
        INSERT INTO inventory.movements (warehouse_id, sku, delta, moved_at)
            VALUES (1, 'SKU-00001', 99, '2025-01-01 00:00:00');
        UPDATE inventory.items SET description = 'modifié après la sauvegarde' WHERE sku = 'SKU-00007';
        SELECT setval('public.invoice_numbers', 1007);
    )sql");
}

std::vector<std::string> matching(const std::vector<std::string>& names, const std::string& pattern) {
    std::vector<std::string> found;
    const std::regex re(pattern);
    for (const auto& n : names)
        if (std::regex_match(n, re)) found.push_back(n);
    return found;
}

TEST_F(postgresql_round_trip, BackupRestoredIntoANewDatabaseIsIdentical) {
    auto& pg = cluster();
    load_wide(pg, "rt_src");
    // Two tables of more than 1 MiB of data: a restore with --jobs reads those on their own.
    pg.exec("rt_src", "CREATE TABLE public.bulk_a AS SELECT i, md5(i::text) AS h FROM generate_series(1, 40000) AS i; "
                      "CREATE TABLE public.bulk_b AS SELECT i, repeat('é', 40) AS t FROM generate_series(1, 20000) AS i; "
                      "CREATE INDEX bulk_a_h ON public.bulk_a (h)");
    const auto sums = pg.table_checksums("rt_src");
    const auto schema = pg.schema_dump("rt_src");
    add_source("pg", pg, {"rt_src"});
    init_repository();
    const auto id = backup("pg");

    // The snapshot: the streams and the metadata of the contract, exact row counts.
    const auto entry = snapshot_entry(id);
    EXPECT_EQ(entry.value("engine", ""), "postgresql");
    std::vector<std::string> streams;
    for (const auto& s : entry["streams"]) streams.push_back(s.value("name", ""));
    std::sort(streams.begin(), streams.end());
    EXPECT_EQ(streams, (std::vector<std::string>{"database.rt_src", "globals"}));
    const auto& metadata = entry["metadata"];
    EXPECT_EQ(metadata.value("engine", ""), "postgresql");
    EXPECT_EQ(metadata.value("server_version_num", 0) / 10000, pg.major_version());
    EXPECT_EQ(metadata.value("globals", false), true);
    EXPECT_EQ(metadata.value("role_passwords", true), false);
    ASSERT_TRUE(metadata.contains("databases") && metadata["databases"].size() == 1) << metadata.dump(2);
    const auto& db = metadata["databases"][0];
    EXPECT_EQ(db.value("name", ""), "rt_src");
    EXPECT_EQ(db.value("stream", ""), "database.rt_src");
    EXPECT_EQ(db.value("encoding", ""), "UTF8");
    std::set<std::string> extensions, roles;
    for (const auto& e : db["extensions"]) extensions.insert(e.value("name", ""));
    for (const auto& r : db["roles"]) roles.insert(r.get<std::string>());
    EXPECT_TRUE(extensions.contains("pgcrypto") && extensions.contains("hstore")) << db["extensions"].dump();
    for (const char* role : {"hf_reader", "hf_writer", "hf_owner", "postgres"})
        EXPECT_TRUE(roles.contains(role)) << role << " missing from " << db["roles"].dump();
    std::map<std::string, std::int64_t> rows;
    for (const auto& t : db["tables"])
        rows[t.value("schema", "") + "." + t.value("name", "")] =
            t["rows"].is_number() ? t["rows"].get<std::int64_t>() : -1;
    for (const char* table : {"public.customers", "public.orders_2023", "public.orders_later", "public.café_commandes",
                              "inventory.stock", "public.audit_log", "public.bulk_a"})
        EXPECT_EQ(rows[table], sums.at(table).rows) << table;
    // Where each table's data lies in the archive, for a restore that reads it on its own.
    std::map<std::string, std::uint64_t> block_bytes;
    for (const auto& t : db["tables"])
        if (t.contains("archive_block")) block_bytes[t.value("name", "")] = t["archive_block"].value("length", 0ull);
    EXPECT_GT(block_bytes["bulk_a"], 1u << 20);
    EXPECT_GT(block_bytes["bulk_b"], 1u << 20);
    EXPECT_GT(block_bytes["customers"], 0u);
    EXPECT_LT(block_bytes["customers"], 1u << 20);

    // Into a new database: the same rows, the same schema; the original untouched.
    const auto restored = hf_ok({"restore", id, "--target", "rt_copy", "--json"});
    const auto result = result_line(restored.out);
    ASSERT_TRUE(result.contains("type")) << restored.out;
    const auto report = report_of(restored.out);
    ASSERT_TRUE(report.contains("databases") && report["databases"].size() == 1) << report.dump(2);
    EXPECT_EQ(report["databases"][0].value("name", ""), "rt_src");
    EXPECT_EQ(report["databases"][0].value("restored_into", ""), "rt_copy");
    EXPECT_EQ(report.value("dry_run", true), false);
    EXPECT_EQ(pg.table_checksums("rt_copy"), sums);
    EXPECT_EQ(replace_all(pg.schema_dump("rt_copy"), "rt_copy", "rt_src"), schema);
    EXPECT_EQ(pg.table_checksums("rt_src"), sums);

    // --jobs 2: pg_restore -j needs a file, spooled in $TMPDIR and deleted afterwards (the
    // fixture checks that $TMPDIR is empty at the end).
    const auto parallel = hf_ok({"restore", id, "--target", "rt_jobs", "--jobs", "2", "--json"});
    const auto parallel_report = report_of(parallel.out);
    ASSERT_TRUE(parallel_report.contains("databases")) << parallel.out;
    // The two large tables were read from the repository on their own; the rest was spooled.
    const auto& restored_db = parallel_report["databases"][0];
    EXPECT_EQ(restored_db.value("tables_read_directly", 0), 2) << parallel_report.dump(2);
    EXPECT_GT(restored_db.value("spooled_bytes", 0ull), 0u) << parallel_report.dump(2);
    EXPECT_EQ(restored_db.value("spooled_bytes", 0ull) + block_bytes["bulk_a"] + block_bytes["bulk_b"],
              restored_db.value("bytes", 0ull))
        << parallel_report.dump(2);
    EXPECT_EQ(pg.table_checksums("rt_jobs"), sums);
    EXPECT_EQ(replace_all(pg.schema_dump("rt_jobs"), "rt_jobs", "rt_src"), schema);
}

TEST_F(postgresql_round_trip, RestoreOverTheOriginalSwapsItInAndKeepsThePrevious) {
    auto& pg = cluster();
    load_wide(pg, "swap_db");
    // Properties of the database itself, which pg_dump leaves out without --create.
    pg.exec("postgres", "ALTER DATABASE swap_db OWNER TO hf_owner; ALTER DATABASE swap_db SET work_mem = '12MB'; "
                        "REVOKE CONNECT, TEMPORARY ON DATABASE swap_db FROM PUBLIC; "
                        "GRANT CONNECT ON DATABASE swap_db TO hf_reader; "
                        "GRANT CONNECT, TEMPORARY ON DATABASE swap_db TO hf_writer");
    const auto properties = pg.database_properties("swap_db");
    const auto sums = pg.table_checksums("swap_db");
    const auto schema = pg.schema_dump("swap_db");
    add_source("pg", pg, {"swap_db"});
    init_repository();
    const auto id = backup("pg");

    modify(pg, "swap_db");
    const auto modified = pg.table_checksums("swap_db");
    ASSERT_NE(modified, sums);

    const auto restored = hf_ok({"restore", id, "--json"});
    EXPECT_EQ(pg.table_checksums("swap_db"), sums);
    EXPECT_EQ(pg.schema_dump("swap_db"), schema);
    EXPECT_EQ(pg.database_properties("swap_db"), properties);

    // The database it replaced is kept, renamed, with the modified rows.
    const auto kept = matching(pg.databases(), "swap_db_pre_restore_.*");
    ASSERT_EQ(kept.size(), 1u) << "databases: " << nlohmann::json(pg.databases()).dump();
    EXPECT_TRUE(std::regex_match(kept[0], std::regex("swap_db_pre_restore_[0-9]{14}")))
        << kept[0] << " is not <name>_pre_restore_<YYYYMMDDHHMMSS>";
    EXPECT_EQ(pg.table_checksums(kept[0]), modified);
    const auto report = report_of(restored.out);
    ASSERT_TRUE(report.contains("databases")) << restored.out;
    EXPECT_EQ(report["databases"][0].value("kept_previous", ""), kept[0]);

    // --no-keep-previous: replaced, and nothing more is kept.
    modify(pg, "swap_db");
    hf_ok({"restore", id, "--no-keep-previous"});
    EXPECT_EQ(pg.table_checksums("swap_db"), sums);
    EXPECT_EQ(matching(pg.databases(), "swap_db_pre_restore_.*"), kept);
}

TEST_F(postgresql_round_trip, RollbackBringsBackWhatARestoreReplaced) {
    auto& pg = cluster();
    load_wide(pg, "rb_db");
    const auto original = pg.table_checksums("rb_db");
    add_source("pg", pg, {"rb_db"});
    init_repository();
    const auto id = backup("pg");
    modify(pg, "rb_db");
    const auto modified = pg.table_checksums("rb_db");

    hf_ok({"restore", id});
    ASSERT_EQ(pg.table_checksums("rb_db"), original);

    hf_ok({"restore", "--rollback", "rb_db", "--source", "pg"});
    EXPECT_EQ(pg.table_checksums("rb_db"), modified);
    const auto rolled_back = matching(pg.databases(), "rb_db_rolled_back_.*");
    ASSERT_EQ(rolled_back.size(), 1u) << nlohmann::json(pg.databases()).dump();
    EXPECT_EQ(pg.table_checksums(rolled_back[0]), original);
    EXPECT_EQ(matching(pg.databases(), "rb_db_pre_restore_.*"), std::vector<std::string>{})
        << "the previous database was swapped back, not copied";

    // Nothing left to roll back to: refused, nothing changes.
    const auto again = hf({"restore", "--rollback", "rb_db", "--source", "pg"});
    EXPECT_NE(again.exit_code, 0) << all_output(again);
    EXPECT_EQ(pg.table_checksums("rb_db"), modified);
}

TEST_F(postgresql_round_trip, DumpWritesACustomFormatArchiveAndTheGlobals) {
    auto& pg = cluster();
    load_wide(pg, "dump_db");
    load_wide(pg, "dump_other");
    add_source("pg", pg, {});  // no databases setting: the command line chooses
    init_repository();
    const auto id = backup("pg", {"--database", "dump_db"});
    const auto databases = snapshot_entry(id)["metadata"]["databases"];
    ASSERT_EQ(databases.size(), 1u) << databases.dump();
    EXPECT_EQ(databases[0].value("name", ""), "dump_db");

    const auto archive = dir() / "dump_db.pgdump";
    hf_ok({"dump", id, "dump_db", "--output", archive.string()});
    const auto list = pg.run_client("pg_restore", {"--list", archive.string()});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("TABLE DATA public customers"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("TABLE DATA inventory stock"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("EXTENSION - hstore"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("MATERIALIZED VIEW DATA public monthly_revenue"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("BLOB"), std::string::npos) << list.out;  // large objects
    EXPECT_NE(list.out.find("Format: CUSTOM"), std::string::npos) << list.out;
    // The repository compresses: pg_dump must not ("0" up to PostgreSQL 15, "none" since 16).
    EXPECT_TRUE(list.out.find("Compression: 0") != std::string::npos ||
                list.out.find("Compression: none") != std::string::npos)
        << list.out;

    const auto globals = dir() / "globals.sql";
    hf_ok({"dump", id, "globals", "--output", globals.string()});
    const auto text = holdfast::pipeline::testing::file_content(globals);
    EXPECT_NE(text.find("CREATE ROLE hf_reader"), std::string::npos) << text;
    EXPECT_NE(text.find("GRANT hf_reader TO hf_writer"), std::string::npos) << text;
    EXPECT_EQ(text.find("SCRAM-SHA-256$"), std::string::npos) << "role passwords without --role-passwords";
}

TEST_F(postgresql_round_trip, SelectiveRestoresTakeOnlyTheChosenTablesOrSchemas) {
    auto& pg = cluster();
    load_wide(pg, "sel_db");
    const auto sums = pg.table_checksums("sel_db");
    add_source("pg", pg, {"sel_db"});
    init_repository();
    const auto id = backup("pg");

    // One table into a new database: that table alone, with its rows.
    hf_ok({"restore", id, "--table", "audit_log", "--target", "sel_table"});
    EXPECT_EQ(pg.table_checksums("sel_table"), (checksums{{"public.audit_log", sums.at("public.audit_log")}}));

    // Into the existing database: the chosen table is replaced, the rest stays as it is now.
    modify(pg, "sel_db");
    auto expected = pg.table_checksums("sel_db");
    expected["public.audit_log"] = sums.at("public.audit_log");
    ASSERT_NE(pg.table_checksums("sel_db"), expected);
    const std::string acl = "SELECT relacl::text FROM pg_class WHERE oid = 'public.audit_log'::regclass";
    const auto grants = pg.scalar("sel_db", acl);
    hf_ok({"restore", id, "--table", "audit_log"});
    EXPECT_EQ(pg.table_checksums("sel_db"), expected);
    EXPECT_EQ(pg.scalar("sel_db", acl), grants) << "the table's privileges were not restored with it";
    EXPECT_EQ(matching(pg.databases(), "sel_db_pre_restore_.*"), std::vector<std::string>{})
        << "a selective restore replaces objects in place, not the database";

    // One schema into a new database: its tables and sequences, nothing of public. (pg_restore
    // --schema alone does not create the schema itself.)
    ASSERT_EQ(hf_ok({"restore", id, "--schema", "inventory", "--target", "sel_schema"}).exit_code, 0);
    checksums inventory;
    for (const auto& [name, sum] : sums)
        if (name.rfind("inventory.", 0) == 0) inventory[name] = sum;
    ASSERT_GE(inventory.size(), 4u);
    EXPECT_EQ(pg.table_checksums("sel_schema"), inventory);
    EXPECT_EQ(pg.scalar("sel_schema", "SELECT count(*) FROM pg_views WHERE schemaname = 'inventory'"), "1");
}

TEST_F(postgresql_round_trip, CloneCopiesADatabaseWithoutARepository) {
    auto& pg = cluster();
    load_wide(pg, "clone_src");
    const auto sums = pg.table_checksums("clone_src");
    const auto schema = pg.schema_dump("clone_src");
    add_source("pg", pg, {"clone_src"});
    // No `holdfast init`: clone uses no repository.
    hf_ok({"clone", "pg", "clone_src", "clone_dst"});
    EXPECT_EQ(pg.table_checksums("clone_dst"), sums);
    EXPECT_EQ(replace_all(pg.schema_dump("clone_dst"), "clone_dst", "clone_src"), schema);
    EXPECT_EQ(pg.table_checksums("clone_src"), sums);
    EXPECT_FALSE(fs::exists(repo()));

    // With --jobs the stream from pg_dump goes through the parallel restore's steps.
    hf_ok({"clone", "pg", "clone_src", "clone_jobs", "--jobs", "2"});
    EXPECT_EQ(pg.table_checksums("clone_jobs"), sums);
    EXPECT_EQ(replace_all(pg.schema_dump("clone_jobs"), "clone_jobs", "clone_src"), schema);

    // The target exists now: refused, and it is left as it is.
    pg.exec("clone_dst", "DELETE FROM public.audit_log");
    const auto after_delete = pg.table_checksums("clone_dst");
    const auto again = hf({"clone", "pg", "clone_src", "clone_dst"});
    EXPECT_NE(again.exit_code, 0);
    EXPECT_NE(all_output(again).find("clone_dst"), std::string::npos) << all_output(again);
    EXPECT_EQ(pg.table_checksums("clone_dst"), after_delete);
}

}  // namespace
}  // namespace holdfast::testing::postgresql
