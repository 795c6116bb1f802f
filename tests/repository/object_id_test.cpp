#include "repository/master_index.hpp"
#include "repository/object_id.hpp"
#include "repository/object_names.hpp"
#include "repository/utc_time.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace holdfast::repository {
namespace {

object_id id_from(std::string_view hex_prefix) {
    std::string hex(hex_prefix);
    hex.resize(object_id::hex_size, '0');
    return *object_id::from_hex(hex);
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const usage_error& e) {
        return e.what();
    }
    return "(no usage_error)";
}

TEST(ObjectId, HexRoundTrip) {
    const object_id id = object_id::of_content(std::as_bytes(std::span("abc", 3)));
    EXPECT_EQ(id.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(object_id::from_hex(id.hex()), id);
    EXPECT_EQ(object_id::from_hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"), id);
    EXPECT_FALSE(object_id::from_hex("ba78"));
    EXPECT_FALSE(object_id::from_hex(std::string(64, 'g')));
    EXPECT_EQ(id.short_hex(), "ba7816bf");
}

TEST(ObjectId, ObjectNames) {
    const object_id id = id_from("ab12");
    EXPECT_EQ(names::pack(id), "data/ab/" + id.hex());
    EXPECT_EQ(names::pack_id(names::pack(id)), id);
    EXPECT_FALSE(names::pack_id("data/cd/" + id.hex()));
    EXPECT_EQ(names::id_under("index/", names::index(id)), id);
    EXPECT_FALSE(names::id_under("index/", "index/.tmp-1234"));
    std::string upper = id.hex();
    upper[0] = 'A';
    EXPECT_FALSE(names::id_under("index/", "index/" + upper));
}

TEST(ObjectId, ResolvesUniquePrefixes) {
    const std::vector<object_id> ids{id_from("ab12f3"), id_from("ab1299"), id_from("cd34")};
    const id_kind kind{"snapshot", "holdfast snapshots"};
    EXPECT_EQ(resolve_id_prefix("cd34", ids, kind), ids[2]);
    EXPECT_EQ(resolve_id_prefix("AB12F", ids, kind), ids[0]);
    EXPECT_EQ(resolve_id_prefix(ids[1].hex(), ids, kind), ids[1]);
}

TEST(ObjectId, PrefixErrorsSayWhatIsWrong) {
    const std::vector<object_id> ids{id_from("ab12f3"), id_from("ab1299"), id_from("cd34")};
    const id_kind kind{"snapshot", "holdfast snapshots"};
    EXPECT_EQ(message_of([&] { resolve_id_prefix("ab12", ids, kind); }),
              "snapshot id prefix 'ab12' is ambiguous: matches ab12f300..., ab129900...; give "
              "more digits");
    EXPECT_EQ(message_of([&] { resolve_id_prefix("ab1", ids, kind); }),
              "snapshot id prefix 'ab1' is too short: give at least 4 hex digits");
    EXPECT_EQ(message_of([&] { resolve_id_prefix("ee00", ids, kind); }),
              "no snapshot id starts with 'ee00' (list them with 'holdfast snapshots')");
    EXPECT_EQ(message_of([&] { resolve_id_prefix("latest!", ids, kind); }),
              "'latest!' is not a snapshot id: ids are hex digits (list them with 'holdfast "
              "snapshots')");
    try {
        resolve_id_prefix("ab12", ids, kind);
    } catch (const error& e) {
        EXPECT_EQ(e.code(), exit_code::usage);
    }
}

TEST(MasterIndex, FindsEveryBlobAndKeepsTheFirstLocation) {
    master_index index;
    const object_id pack_a = id_from("aa");
    const object_id pack_b = id_from("bb");
    std::vector<blob_record> records;
    for (std::uint32_t i = 0; i < 100000; ++i) {
        std::array<std::byte, 4> seed{};
        std::memcpy(seed.data(), &i, 4);
        records.push_back({.type = i % 2 ? blob_type::data : blob_type::list,
                           .compression = blob_encoding::zstd,
                           .offset = i,
                           .stored_length = i + 1,
                           .plain_length = i + 2,
                           .id = object_id::of_content(seed)});
    }
    EXPECT_EQ(index.add_pack(pack_a, records), records.size());
    EXPECT_EQ(index.add_pack(pack_b, std::span(records).first(10)), 0u);
    EXPECT_EQ(index.blob_count(), records.size());
    EXPECT_EQ(index.pack_count(), 2u);
    EXPECT_TRUE(index.has_pack(pack_b));
    for (const auto& record : records) {
        const auto found = index.find(record.id);
        ASSERT_TRUE(found);
        EXPECT_EQ(found->pack, pack_a);
        EXPECT_EQ(found->record, record);
    }
    EXPECT_FALSE(index.contains(id_from("ffff")));
}

}  // namespace
}  // namespace holdfast::repository

namespace holdfast::repository {
namespace {

TEST(UtcTime, FormatsAndParsesRfc3339) {
    using namespace std::chrono;
    const utc_time t = utc_time(seconds(1795262400) + microseconds(123456));
    EXPECT_EQ(format_utc(t), "2026-11-21T12:00:00.123456Z");
    EXPECT_EQ(parse_utc("2026-11-21T12:00:00.123456Z"), t);
    EXPECT_EQ(parse_utc("2026-11-21T12:00:00Z"), utc_time(seconds(1795262400)));
    EXPECT_EQ(format_utc(utc_time{}), "1970-01-01T00:00:00.000000Z");
    EXPECT_FALSE(parse_utc("2026-11-21 12:00:00Z"));
    EXPECT_FALSE(parse_utc("2026-02-30T12:00:00Z"));
    EXPECT_FALSE(parse_utc("2026-11-21T12:00:00"));
    EXPECT_EQ(describe_age(seconds(42)), "42s");
    EXPECT_EQ(describe_age(minutes(7)), "7m");
}

}  // namespace
}  // namespace holdfast::repository
