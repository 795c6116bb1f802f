// Snapshot documents and stream content lists.
#include "repository_fixture.hpp"
#include "sample_data.hpp"

#include "repository/blob_store.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/snapshots.hpp"
#include "repository/stream_checksum.hpp"
#include "repository/stream_content.hpp"

#include "core/error.hpp"

#include <chrono>

namespace holdfast::repository::testing {
namespace {

using snapshots_test = repository_test;
using namespace std::chrono_literals;

snapshot sample(std::string source, utc_time time) {
    snapshot snap;
    snap.time = time;
    snap.host = "db1";
    snap.user = "backup";
    snap.source = std::move(source);
    snap.engine = "sqlite";
    snap.engine_version = "0.1.0";
    snap.metadata = {{"page_size", 4096}, {"journal", "wal"}};
    snap.tags = {"nightly", "test"};
    stream_entry stream;
    stream.name = "database";
    stream.size = 123;
    stream.checksum = {checksum_algorithm::xxh3_128, std::string(32, 'e')};
    stream.content = {object_id::of_content(bytes_of("a")), object_id::of_content(bytes_of("b"))};
    snap.streams.push_back(stream);
    snap.summary = {.duration_ms = 12, .bytes_new = 100, .blobs_new = 2, .bytes_stored_new = 80};
    return snap;
}

TEST_F(snapshots_test, SaveLoadRoundTrip) {
    repo r = init();
    snapshot snap = sample("app", utc_now());
    snap.parent = object_id::of_content(bytes_of("parent"));
    const object_id id = save_snapshot(r, snap);
    EXPECT_TRUE(objects("snapshots/").contains(names::snapshot(id)));

    const snapshot loaded = load_snapshot(open(), id);
    EXPECT_EQ(loaded.time, snap.time);
    EXPECT_EQ(loaded.host, "db1");
    EXPECT_EQ(loaded.user, "backup");
    EXPECT_EQ(loaded.source, "app");
    EXPECT_EQ(loaded.engine, "sqlite");
    EXPECT_EQ(loaded.engine_version, "0.1.0");
    EXPECT_EQ(loaded.metadata, snap.metadata);
    EXPECT_EQ(loaded.tags, snap.tags);
    EXPECT_EQ(loaded.parent, snap.parent);
    ASSERT_EQ(loaded.streams.size(), 1u);
    EXPECT_EQ(loaded.streams[0].name, "database");
    EXPECT_EQ(loaded.streams[0].size, 123u);
    EXPECT_EQ(loaded.streams[0].checksum, snap.streams[0].checksum);
    EXPECT_EQ(loaded.streams[0].content, snap.streams[0].content);
    EXPECT_TRUE(loaded.streams[0].content_lists.empty());
    EXPECT_EQ(loaded.summary.bytes_stored_new, 80u);
}

TEST_F(snapshots_test, ListLatestAndPrefixes) {
    repo r = init();
    const utc_time t0 = utc_now();
    const object_id a1 = save_snapshot(r, sample("app", t0));
    const object_id b1 = save_snapshot(r, sample("billing", t0 + 1s));
    const object_id a2 = save_snapshot(r, sample("app", t0 + 2s));
    const object_id b2 = save_snapshot(r, sample("billing", t0 + 3s));

    const auto listed = list_snapshots(r);
    ASSERT_EQ(listed.size(), 4u);
    EXPECT_EQ(listed[0].id, a1);
    EXPECT_EQ(listed[1].id, b1);
    EXPECT_EQ(listed[2].id, a2);
    EXPECT_EQ(listed[3].id, b2);
    EXPECT_EQ(listed[3].doc.source, "billing");

    EXPECT_EQ(resolve_snapshot(r, "latest"), b2);
    EXPECT_EQ(resolve_snapshot(r, "latest", "app"), a2);
    EXPECT_EQ(resolve_snapshot(r, a1.hex()), a1);
    // The shortest prefix that is unique here.
    for (std::size_t length = 4; length <= 64; ++length) {
        const std::string prefix = b1.hex().substr(0, length);
        bool unique = true;
        for (const auto& s : listed)
            if (s.id != b1 && s.id.hex().starts_with(prefix)) unique = false;
        if (unique) {
            EXPECT_EQ(resolve_snapshot(r, prefix), b1);
            break;
        }
    }
    try {
        resolve_snapshot(r, "latest", "nope");
        FAIL();
    } catch (const repository_error& e) {
        EXPECT_STREQ(e.what(), ("the repository at " + location() +
                                " has no snapshot of source 'nope'; list them with 'holdfast snapshots'")
                                   .c_str());
    }
}

TEST_F(snapshots_test, NoSnapshotsYet) {
    repo r = init();
    EXPECT_TRUE(list_snapshots(r).empty());
    try {
        resolve_snapshot(r, "latest");
        FAIL();
    } catch (const repository_error& e) {
        EXPECT_STREQ(e.what(), ("the repository at " + location() +
                                " has no snapshots yet; create one with 'holdfast backup'")
                                   .c_str());
    }
}

TEST_F(snapshots_test, AmbiguousAndUnknownPrefixes) {
    repo r = init();
    // Names are all resolution looks at: plant two that share a prefix.
    const std::string first = "abcd1111" + std::string(56, '0');
    const std::string second = "abcd2222" + std::string(56, '0');
    r.storage().put("snapshots/" + first, bytes_of("x"));
    r.storage().put("snapshots/" + second, bytes_of("y"));
    try {
        resolve_snapshot(r, "abcd");
        FAIL();
    } catch (const usage_error& e) {
        EXPECT_STREQ(e.what(),
                     "snapshot id prefix 'abcd' is ambiguous: matches abcd1111..., abcd2222...; "
                     "give more digits");
    }
    EXPECT_EQ(resolve_snapshot(r, "abcd2").hex(), second);
    EXPECT_THROW(resolve_snapshot(r, "0123"), usage_error);
    EXPECT_THROW(resolve_snapshot(r, "abc"), usage_error);
}

TEST_F(snapshots_test, ContentListsInlineUpTo1000Ids) {
    repo r = init();
    blob_store store(r);
    for (const std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{1000}}) {
        content_list_builder builder(store);
        std::vector<object_id> ids;
        for (std::size_t i = 0; i < count; ++i) {
            ids.push_back(object_id::of_content(bytes_of(std::to_string(i))));
            builder.append(ids.back());
        }
        stream_entry entry;
        builder.finish(entry);
        EXPECT_EQ(entry.content, ids);
        EXPECT_TRUE(entry.content_lists.empty());
        EXPECT_EQ(content_blobs(r, entry), ids);
    }
    EXPECT_EQ(store.stats().blobs_new, 0u);
}

TEST_F(snapshots_test, LongContentListsAreStoredAsListBlobs) {
    std::map<std::size_t, object_id> snapshot_of_count;
    std::map<std::size_t, std::vector<object_id>> ids_of_count;
    const std::vector<std::size_t> counts{1001, 16384, 40000};
    {
        repo r = init();
        blob_store store(r);
        for (const std::size_t count : counts) {
            content_list_builder builder(store);
            auto& ids = ids_of_count[count];
            for (std::size_t i = 0; i < count; ++i) {
                ids.push_back(object_id::of_content(bytes_of(std::to_string(count) + "/" + std::to_string(i))));
                builder.append(ids.back());
            }
            EXPECT_EQ(builder.count(), count);
            stream_entry entry;
            entry.name = "stream";
            entry.checksum.hex = std::string(32, '0');
            builder.finish(entry);
            EXPECT_TRUE(entry.content.empty());
            EXPECT_EQ(entry.content_lists.size(), (count + ids_per_list_blob - 1) / ids_per_list_blob);
            snapshot snap = sample("app", utc_now());
            snap.streams = {entry};
            store.flush();  // the list blobs are durable before the snapshot names them
            snapshot_of_count[count] = save_snapshot(r, snap);
        }
    }
    repo r = open();
    r.load_index();
    for (const std::size_t count : counts) {
        const snapshot loaded = load_snapshot(r, snapshot_of_count[count]);
        EXPECT_EQ(content_blobs(r, loaded.streams.at(0)), ids_of_count[count]);
        for (const object_id& list : loaded.streams[0].content_lists)
            EXPECT_EQ(r.index().find(list)->record.type, blob_type::list);
    }
}

// XXH3-128 as `xxhsum -H2` prints it; SHA-256 as sha256sum does (snapshots of 0.1.0).
TEST(stream_checksum_test, MatchesTheCommandLineToolsInPiecesOrWhole) {
    EXPECT_EQ(stream_hasher::of({}).hex, "99aa06d3014798d86001c324468d497f");
    EXPECT_EQ(stream_hasher::of(bytes_of("holdfast")).hex, "d725ef720e130d9fdf1a3c122ca59e45");
    EXPECT_EQ(stream_hasher::of(bytes_of("holdfast"), checksum_algorithm::sha256).hex,
              "d1580d2df7f24b6f5e2a861eba2918755c3a7246b7068817e349d8adc66a8566");
    const std::vector<std::byte> data = test_data::random_stream(1 << 20, 7);
    for (const auto algorithm : {checksum_algorithm::xxh3_128, checksum_algorithm::sha256}) {
        stream_hasher hasher(algorithm);
        for (std::size_t at = 0; at < data.size(); at += 12345)
            hasher.update(std::span(data).subspan(at, std::min<std::size_t>(12345, data.size() - at)));
        const stream_checksum whole = stream_hasher::of(data, algorithm);
        EXPECT_EQ(hasher.finish(), whole);
        EXPECT_TRUE(whole.well_formed());
        // finish() started over.
        EXPECT_EQ(hasher.finish(), stream_hasher::of({}, algorithm));
    }
}

// A snapshot records exactly one well-formed checksum per stream: XXH3-128 now, SHA-256 in
// the snapshots of holdfast 0.1.0, which still load.
TEST(stream_checksum_test, SnapshotsRecordOneChecksumPerStream) {
    snapshot snap = sample("app", utc_now());
    const auto reparsed = [](const snapshot& s) { return snapshot::parse(s.to_json(), "snapshot x"); };
    auto doc = nlohmann::json::parse(snap.to_json());
    EXPECT_EQ(doc["streams"][0]["xxh3_128"], std::string(32, 'e'));
    EXPECT_FALSE(doc["streams"][0].contains("sha256"));

    snap.streams[0].checksum = stream_hasher::of(bytes_of("old"), checksum_algorithm::sha256);
    EXPECT_EQ(reparsed(snap).streams[0].checksum, snap.streams[0].checksum);

    const auto refusal = [&](const nlohmann::json& altered) {
        try {
            snapshot::parse(altered.dump(), "snapshot x");
        } catch (const corruption_error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    auto both = doc;
    both["streams"][0]["sha256"] = std::string(64, 'a');
    EXPECT_NE(refusal(both).find("stream 'database' has two checksums"), std::string::npos) << refusal(both);
    auto none = doc;
    none["streams"][0].erase("xxh3_128");
    EXPECT_NE(refusal(none).find("has no checksum"), std::string::npos) << refusal(none);
    for (const std::string& bad : {std::string(31, 'e'), std::string(64, 'e'), std::string(32, 'E')}) {
        auto malformed = doc;
        malformed["streams"][0]["xxh3_128"] = bad;
        EXPECT_NE(refusal(malformed).find("malformed xxh3_128 checksum"), std::string::npos) << bad;
    }
}

}  // namespace
}  // namespace holdfast::repository::testing
