// The custom-format framing reader and the row counter on archives built here byte by byte
// (pg_dump's layout, versions 1.14 to 1.16), so they run without a server and under the
// sanitizers: every truncation of an archive is said, never read past, and still passed on.
// tests/engines/postgresql/custom_archive_test.cpp reads real pg_dump output.
#include "archive_tables.hpp"
#include "custom_archive.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace pg = holdfast::engines::postgresql;

namespace {

// Writes what pg_dump's WriteHead, WriteToc and custom-format data blocks write.
class archive_builder {
public:
    explicit archive_builder(int minor) : minor_(minor) {
        out_ = "PGDMP";
        byte(1);
        byte(minor);
        byte(0);
        byte(4);  // int size
        byte(8);  // offset size
        byte(1);  // custom format
        if (minor >= 15)
            byte(0);  // no compression
        else
            integer(0);
        for (int i = 0; i < 7; ++i) integer(i);
        text("shop");
        text("15.4");
        text("15.4");
    }

    struct entry {
        int id;
        bool data;
        std::string desc, tag, schema;
        int section;
        std::vector<int> dependencies;
    };
    void toc(const std::vector<entry>& entries) {
        integer(static_cast<int>(entries.size()));
        for (const auto& e : entries) {
            integer(e.id);
            integer(e.data ? 1 : 0);
            text("0");
            text("0");
            text(e.tag);
            text(e.desc);
            integer(e.section);
            text("CREATE ...;");
            text("DROP ...;");
            text(e.data ? "COPY " + e.schema + "." + e.tag + " FROM stdin;" : "");
            text(e.schema);
            text("");
            if (minor_ >= 14) text("heap");
            if (minor_ >= 16) integer('r');
            text("owner");
            text("false");
            for (int d : e.dependencies) text(std::to_string(d));
            text(std::nullopt);  // end of dependencies
            byte(e.data ? 1 : 3);  // offset not set / no data
            for (int i = 0; i < 8; ++i) byte(0);
        }
        toc_end_ = out_.size();
    }
    // One chunk a row, as pg_dump writes them, then its end-of-data marker.
    void table_data(int id, const std::vector<std::string>& rows) {
        byte(1);
        integer(id);
        for (const auto& r : rows) chunk(r + "\n");
        chunk("\\.\n\n\n");
        integer(0);
    }
    void large_objects(int id) {
        byte(3);
        integer(id);
        integer(16401);
        chunk("large object\nwith newlines\n");
        integer(0);
        integer(0);
    }

    const std::string& bytes() const { return out_; }
    std::size_t toc_end() const { return toc_end_; }

private:
    void byte(int b) { out_.push_back(static_cast<char>(b)); }
    void integer(long long v) {
        byte(v < 0 ? 1 : 0);
        const unsigned long long magnitude = static_cast<unsigned long long>(v < 0 ? -v : v);
        for (int i = 0; i < 4; ++i) byte(static_cast<int>((magnitude >> (8 * i)) & 0xff));
    }
    void text(const std::optional<std::string>& s) {
        if (!s) return integer(-1);
        integer(static_cast<long long>(s->size()));
        out_ += *s;
    }
    void chunk(const std::string& payload) {
        integer(static_cast<long long>(payload.size()));
        out_ += payload;
    }

    int minor_;
    std::string out_;
    std::size_t toc_end_ = 0;
};

std::string shop_archive(int minor) {
    archive_builder b(minor);
    b.toc({{1, false, "ENCODING", "ENCODING", "", 2, {}},
           {10, false, "TABLE", "items", "public", 2, {}},
           {11, true, "TABLE DATA", "items", "public", 3, {10}},
           {12, true, "TABLE DATA", "empty", "stock", 3, {}},
           {13, true, "BLOBS", "BLOBS", "", 3, {}},
           {14, false, "INDEX", "items_pkey", "public", 4, {10, 11}}});
    b.table_data(11, {"1\tcafé\t\\\\.", "2\ttea\\nwith a newline in the value", "3\t\\N"});
    b.table_data(12, {});
    b.large_objects(13);
    return b.bytes();
}

struct scanned {
    std::string passed, problem;
    std::optional<pg::archive_toc> toc;
    std::vector<pg::archive_block> blocks;
    pg::archive_tables rows;
};

void scan(scanned& s, const std::string& archive, std::size_t piece) {
    std::size_t at = 0;
    auto events = s.rows.events();
    const auto count_toc = events.toc;
    events.toc = [&](const pg::archive_toc& toc) {
        s.toc = toc;
        count_toc(toc);
    };
    const auto locate_block = events.block;
    events.block = [&](const pg::archive_block& b) {
        s.blocks.push_back(b);
        locate_block(b);
    };
    s.problem = pg::scan_custom_archive(
        [&](std::span<std::byte> buffer) {
            const std::size_t n = std::min({piece, buffer.size(), archive.size() - at});
            std::memcpy(buffer.data(), archive.data() + at, n);
            at += n;
            return n;
        },
        [&](std::span<const std::byte> bytes) { s.passed.append(reinterpret_cast<const char*>(bytes.data()), bytes.size()); },
        events);
}

TEST(PostgresqlCustomArchive, ReadsTheFramingOfEveryKnownVersion) {
    for (const int minor : {14, 15, 16}) {
        SCOPED_TRACE("archive version 1." + std::to_string(minor));
        const std::string archive = shop_archive(minor);
        scanned s;
        scan(s, archive, 5);
        EXPECT_EQ(s.problem, "");
        EXPECT_EQ(s.passed, archive);
        ASSERT_TRUE(s.toc);
        EXPECT_EQ(s.toc->version_minor, minor);
        EXPECT_FALSE(s.toc->compressed);
        ASSERT_EQ(s.toc->entries.size(), 6u);
        EXPECT_EQ(s.toc->entries[2].desc, "TABLE DATA");
        EXPECT_EQ(s.toc->entries[2].schema, "public");
        EXPECT_EQ(s.toc->entries[2].section, pg::archive_section::data);
        EXPECT_EQ(s.toc->entries[5].section, pg::archive_section::post_data);
        EXPECT_EQ(s.toc->entries[2].dependencies, std::vector<int>{10});
        EXPECT_EQ(s.toc->entries[5].dependencies, (std::vector<int>{10, 11}));
        EXPECT_TRUE(s.toc->entries[1].dependencies.empty());

        ASSERT_EQ(s.blocks.size(), 3u);
        EXPECT_EQ(s.blocks[0].begin, s.toc->end_offset);
        EXPECT_EQ(s.blocks[1].begin, s.blocks[0].end);
        EXPECT_EQ(s.blocks[2].begin, s.blocks[1].end);
        EXPECT_EQ(s.blocks[2].end, archive.size());
        EXPECT_TRUE(s.blocks[2].large_objects);

        std::vector<pg::table_record> tables{{"public", "items", std::nullopt, 0, std::nullopt},
                                             {"stock", "empty", std::nullopt, 0, std::nullopt},
                                             {"public", "absent", std::nullopt, 0, std::nullopt}};
        ASSERT_TRUE(s.rows.complete());
        s.rows.assign(tables);
        EXPECT_EQ(tables[0].rows, 3u);  // escaped newlines and "\\." inside values are not rows
        EXPECT_EQ(tables[1].rows, 0u);
        EXPECT_EQ(tables[2].rows, 0u);
        // Where each table's data block lies, for a restore that reads it on its own.
        const auto located = [](const pg::archive_block& b) {
            return pg::archive_block_record{b.dump_id, b.begin, b.end - b.begin};
        };
        EXPECT_EQ(tables[0].archive_block, located(s.blocks[0]));
        EXPECT_EQ(tables[1].archive_block, located(s.blocks[1]));
        EXPECT_FALSE(tables[2].archive_block);
    }
}

TEST(PostgresqlCustomArchive, EveryTruncationIsSaidAndPassedOnWhole) {
    const std::string archive = shop_archive(15);
    scanned whole;
    scan(whole, archive, 1 << 20);
    std::vector<std::size_t> boundaries{whole.toc->end_offset};
    for (const auto& b : whole.blocks) boundaries.push_back(b.end);

    for (std::size_t cut = 0; cut < archive.size(); ++cut) {
        const std::string prefix = archive.substr(0, cut);
        scanned s;
        scan(s, prefix, 3);
        EXPECT_EQ(s.passed, prefix) << "cut at " << cut;
        const bool at_boundary = std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end();
        if (at_boundary)
            EXPECT_EQ(s.problem, "") << "cut at " << cut;  // a shorter archive, whole blocks
        else
            EXPECT_NE(s.problem, "") << "cut at " << cut;
    }
}

TEST(PostgresqlCustomArchive, ForeignBytesAreSaidNotRead) {
    scanned plain;
    scan(plain, "--\n-- PostgreSQL database dump\n--\n", 64);
    EXPECT_NE(plain.problem.find("PGDMP"), std::string::npos) << plain.problem;
    EXPECT_FALSE(plain.toc);
    EXPECT_FALSE(plain.rows.complete());

    std::string future = shop_archive(16);
    future[6] = 17;  // version 1.17
    scanned newer;
    scan(newer, future, 64);
    EXPECT_NE(newer.problem.find("1.17"), std::string::npos) << newer.problem;
    EXPECT_EQ(newer.passed, future);

    std::string bad_block = shop_archive(16);
    scanned whole;
    scan(whole, bad_block, 1 << 20);
    bad_block[whole.blocks[0].begin] = 7;  // no such block type
    scanned odd;
    scan(odd, bad_block, 64);
    EXPECT_NE(odd.problem.find("type 7"), std::string::npos) << odd.problem;
    EXPECT_EQ(odd.passed, bad_block);
}

}  // namespace
