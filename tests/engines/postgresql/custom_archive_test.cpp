// The custom-format framing reader (plugins/postgresql/custom_archive.hpp) on real pg_dump
// output of the wide schema: every byte passes through, the data blocks tile the archive
// after the TOC, and each table's payload holds exactly its rows (one line per row, and
// pg_dump's end-of-data marker).
#include "archive_tables.hpp"
#include "custom_archive.hpp"
#include "early_post_data.hpp"
#include "postgres_cluster.hpp"
#include "postgresql_cli_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <string>

namespace holdfast::testing::postgresql {
namespace {

using namespace holdfast::engines::postgresql;

struct scan_result {
    std::string passed;  // what the sink received
    std::string problem;
    std::vector<archive_toc> tocs;
    std::vector<archive_block> starts, blocks;
    std::map<int, std::int64_t> lines;  // per dump id, newlines in its payload
};

// Feeds `archive` in pieces of `piece` bytes, so structures straddle reads.
scan_result scan(const std::string& archive, std::size_t piece) {
    scan_result r;
    std::size_t at = 0;
    const archive_source source = [&](std::span<std::byte> buffer) {
        const std::size_t n = std::min({piece, buffer.size(), archive.size() - at});
        std::memcpy(buffer.data(), archive.data() + at, n);
        at += n;
        return n;
    };
    const archive_sink sink = [&](std::span<const std::byte> bytes) {
        r.passed.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    };
    archive_scan_events events;
    events.toc = [&](const archive_toc& toc) { r.tocs.push_back(toc); };
    events.block_start = [&](const archive_block& block) { r.starts.push_back(block); };
    events.block = [&](const archive_block& block) {
        // Each block ends after it started, before the next one starts.
        EXPECT_EQ(r.starts.size(), r.blocks.size() + 1);
        if (!r.starts.empty()) {
            EXPECT_EQ(r.starts.back().dump_id, block.dump_id);
            EXPECT_EQ(r.starts.back().begin, block.begin);
            EXPECT_EQ(r.starts.back().end, 0u);
        }
        r.blocks.push_back(block);
    };
    events.data = [&](int id, std::span<const std::byte> bytes) {
        r.lines[id] += std::count(bytes.begin(), bytes.end(), std::byte{'\n'});
    };
    r.problem = scan_custom_archive(source, sink, events);
    return r;
}

using custom_archive = postgres_server_test;

TEST_F(custom_archive, TheFramingOfAStreamedDumpIsReadToTheEnd) {
    auto& pg = cluster();
    load_wide(pg, "ca_wide");
    // On stdout, as the backup streams it: pg_dump cannot go back to fill in the offsets.
    const auto dumped = pg.run_client("pg_dump", {"-Fc", "-Z0", "-d", pg.conninfo("ca_wide")});
    ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
    const std::string& archive = dumped.out;
    const auto sums = pg.table_checksums("ca_wide");

    for (const std::size_t piece : {std::size_t{1} << 20, std::size_t{7}}) {
        SCOPED_TRACE("read " + std::to_string(piece) + " bytes at a time");
        const auto r = scan(archive, piece);
        EXPECT_EQ(r.problem, "");
        EXPECT_TRUE(r.passed == archive) << "the bytes were not passed through unchanged";
        ASSERT_EQ(r.tocs.size(), 1u);
        const auto& toc = r.tocs.front();
        EXPECT_FALSE(toc.compressed);
        EXPECT_GT(toc.end_offset, 0u);

        // The blocks follow the TOC back to back, up to the last byte.
        std::uint64_t next = toc.end_offset;
        for (const auto& b : r.blocks) {
            EXPECT_EQ(b.begin, next) << "block of entry " << b.dump_id;
            next = b.end;
        }
        EXPECT_EQ(next, archive.size());

        // One block per entry with data, among them the large objects'; each table's
        // payload has one line per row.
        std::map<int, const archive_entry*> by_id;
        for (const auto& e : toc.entries) by_id[e.dump_id] = &e;
        int tables = 0, large_objects = 0;
        for (const auto& b : r.blocks) {
            ASSERT_TRUE(by_id.contains(b.dump_id)) << b.dump_id;
            const auto& e = *by_id[b.dump_id];
            EXPECT_TRUE(e.has_data) << e.desc << " " << e.tag;
            EXPECT_EQ(e.section, archive_section::data) << e.desc << " " << e.tag;
            if (b.large_objects) {
                ++large_objects;
                EXPECT_EQ(e.desc, "BLOBS");
                continue;
            }
            ASSERT_EQ(e.desc, "TABLE DATA");
            ++tables;
            const auto sum = sums.find(e.schema + "." + e.tag);
            ASSERT_NE(sum, sums.end()) << e.schema << "." << e.tag;
            // pg_dump ends each table's COPY data with "\\.\n\n\n".
            EXPECT_EQ(r.lines.contains(b.dump_id) ? r.lines.at(b.dump_id) - 3 : -1, sum->second.rows) << sum->first;
        }
        EXPECT_GE(tables, 8);
        EXPECT_EQ(large_objects, 1);
        EXPECT_EQ(static_cast<std::size_t>(std::count_if(toc.entries.begin(), toc.entries.end(),
                                                         [](const auto& e) { return e.has_data; })),
                  r.blocks.size());
    }
}

// Which post-data entries a parallel restore builds as soon as their table's data is in:
// a data table's own indexes and constraints, never a foreign key, never what belongs to a
// partitioned table (which has no data of its own: its indexes span the partitions).
TEST_F(custom_archive, IndexesAndConstraintsOfOneTableAreBuiltOnceItsDataIsIn) {
    auto& pg = cluster();
    load_wide(pg, "ca_early");
    const auto dumped = pg.run_client("pg_dump", {"-Fc", "-Z0", "-d", pg.conninfo("ca_early")});
    ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
    const auto r = scan(dumped.out, std::size_t{1} << 20);
    ASSERT_EQ(r.problem, "");
    ASSERT_EQ(r.tocs.size(), 1u);
    const auto& toc = r.tocs.front();
    std::map<int, const archive_entry*> by_id;
    for (const auto& e : toc.entries) by_id[e.dump_id] = &e;

    const auto plan = plan_early_post_data(toc);
    // Every table's data maps to that table.
    for (const auto& [data, table] : plan.table_of_data) {
        ASSERT_TRUE(by_id.contains(data) && by_id.contains(table));
        EXPECT_EQ(by_id[data]->desc, "TABLE DATA");
        EXPECT_EQ(by_id[table]->desc, "TABLE");
        EXPECT_EQ(by_id[table]->tag, by_id[data]->tag);
    }
    std::set<std::string> early;
    for (const auto& [table, entries] : plan.of_table)
        for (int id : entries) {
            const auto& e = *by_id.at(id);
            EXPECT_TRUE(e.desc == "INDEX" || e.desc == "CONSTRAINT") << e.desc << " " << e.tag;
            EXPECT_EQ(e.section, archive_section::post_data) << e.tag;
            early.insert(e.tag.substr(e.tag.rfind(' ') + 1));  // a constraint's tag is "table name"
        }
    // customers: its primary key, its unique email and its three GIN indexes (one of them
    // also needs hstore's operator class: created with the pre-data, before any data).
    for (const char* tag : {"customers_pkey", "customers_email_key", "customers_attributes_idx",
                            "customers_profile_idx", "customers_tags_idx"})
        EXPECT_TRUE(early.contains(tag)) << tag;
    // orders is partitioned: its key and indexes span the partitions, so they wait.
    for (const char* tag : {"orders_pkey", "orders_customer_idx", "orders_open_idx"})
        EXPECT_FALSE(early.contains(tag)) << tag;
    // Foreign keys need a second table's data.
    for (const auto& e : toc.entries) {
        if (e.desc == "FK CONSTRAINT") {
            EXPECT_FALSE(early.contains(e.tag.substr(e.tag.rfind(' ') + 1))) << e.tag;
        }
    }
    EXPECT_TRUE(std::any_of(toc.entries.begin(), toc.entries.end(),
                            [](const auto& e) { return e.desc == "FK CONSTRAINT"; }));
    pg.drop_database("ca_early");
}

TEST_F(custom_archive, RowsAreCountedFromTheArchiveAsTheBackupStreamsIt) {
    auto& pg = cluster();
    load_wide(pg, "ca_rows");
    const auto dumped = pg.run_client("pg_dump", {"-Fc", "-Z0", "-d", pg.conninfo("ca_rows")});
    ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
    const auto sums = pg.table_checksums("ca_rows");

    archive_tables counter;
    std::size_t at = 0;
    const auto problem = scan_custom_archive(
        [&](std::span<std::byte> buffer) {
            const std::size_t n = std::min({std::size_t{3000}, buffer.size(), dumped.out.size() - at});
            std::memcpy(buffer.data(), dumped.out.data() + at, n);
            at += n;
            return n;
        },
        [](std::span<const std::byte>) {}, counter.events());
    ASSERT_EQ(problem, "");
    ASSERT_TRUE(counter.complete());

    std::vector<table_record> tables{{"public", "customers", std::nullopt, 0, std::nullopt},
                                     {"public", "orders_2024", std::nullopt, 0, std::nullopt},
                                     {"public", "café_commandes", std::nullopt, 0, std::nullopt},
                                     {"public", "documents", std::nullopt, 0, std::nullopt},  // row-level security hides none from pg_dump
                                     {"inventory", "stock", std::nullopt, 0, std::nullopt},
                                     {"public", "not_in_the_archive", std::nullopt, 0, std::nullopt}};
    counter.assign(tables);
    for (const auto& t : tables) {
        ASSERT_TRUE(t.rows.has_value()) << t.name;
        const auto sum = sums.find(t.schema + "." + t.name);
        EXPECT_EQ(static_cast<std::int64_t>(*t.rows), sum == sums.end() ? 0 : sum->second.rows)
            << t.schema << "." << t.name;
    }
    EXPECT_GT(*tables.front().rows, 0u);
    // Each table's data block is located: it starts with a data block header (type 1, then
    // the dump id as a sign byte and four little-endian bytes) and lies inside the archive.
    for (const auto& t : tables) {
        SCOPED_TRACE(t.schema + "." + t.name);
        if (t.name == "not_in_the_archive") {
            EXPECT_FALSE(t.archive_block);
            continue;
        }
        ASSERT_TRUE(t.archive_block);
        const auto& b = *t.archive_block;
        ASSERT_LE(b.offset + b.length, dumped.out.size());
        ASSERT_GT(b.length, 6u);
        EXPECT_EQ(dumped.out[b.offset], '\x01');
        EXPECT_EQ(dumped.out[b.offset + 1], '\x00');
        EXPECT_EQ(static_cast<unsigned char>(dumped.out[b.offset + 2]), b.dump_id & 0xff);
        EXPECT_EQ(dumped.out.substr(b.offset + b.length - 5, 5), std::string(5, '\0'))  // the zero length that ends it
            << "block of " << b.length << " bytes";
    }
    pg.drop_database("ca_rows");
}

TEST_F(custom_archive, WhatIsNotACompleteArchiveIsSaidAndStillPassedThrough) {
    auto& pg = cluster();
    pg.create_database("ca_small");
    pg.exec("ca_small", "CREATE TABLE t AS SELECT i, md5(i::text) AS h FROM generate_series(1, 5000) AS i");
    const auto dumped = pg.run_client("pg_dump", {"-Fc", "-Z0", "-d", pg.conninfo("ca_small")});
    ASSERT_EQ(dumped.exit_code, 0) << dumped.err;

    const auto cut = dumped.out.substr(0, dumped.out.size() - 100);  // inside the table's block
    const auto truncated = scan(cut, 4096);
    EXPECT_NE(truncated.problem.find("ends inside"), std::string::npos) << truncated.problem;
    EXPECT_TRUE(truncated.passed == cut);
    EXPECT_EQ(truncated.tocs.size(), 1u);

    const std::string text = "-- PostgreSQL database dump\nCREATE TABLE t (i int);\n";
    const auto plain = scan(text, 4096);
    EXPECT_NE(plain.problem.find("PGDMP"), std::string::npos) << plain.problem;
    EXPECT_EQ(plain.passed, text);
    EXPECT_TRUE(plain.tocs.empty());

    // pg_dump's own compression: framed the same, the payload flagged as compressed.
    const auto gzipped = pg.run_client("pg_dump", {"-Fc", "-Z1", "-d", pg.conninfo("ca_small")});
    ASSERT_EQ(gzipped.exit_code, 0) << gzipped.err;
    const auto compressed = scan(gzipped.out, 65536);
    EXPECT_EQ(compressed.problem, "");
    ASSERT_EQ(compressed.tocs.size(), 1u);
    EXPECT_TRUE(compressed.tocs.front().compressed);
    pg.drop_database("ca_small");
}

}  // namespace
}  // namespace holdfast::testing::postgresql
