// Snapshot documents and stream content lists.
#include "repository_fixture.hpp"

#include "repository/blob_store.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/snapshots.hpp"
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
    stream.sha256 = std::string(64, 'e');
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

}  // namespace
}  // namespace holdfast::repository::testing
