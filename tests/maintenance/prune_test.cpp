// forget + prune through the C++ API: kept snapshots keep every byte, storage shrinks, and
// a crash at any stage of prune leaves a repository that check accepts.
#include "maintenance_fixture.hpp"

#include "maintenance/check.hpp"
#include "maintenance/forget.hpp"
#include "maintenance/prune.hpp"
#include "repository/blob_store.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/snapshots.hpp"
#include "sample_data.hpp"

#include "core/error.hpp"

#include <gmock/gmock.h>

#include <filesystem>

namespace holdfast::maintenance::testing {
namespace {

using namespace repository;
using ::testing::HasSubstr;

struct simulated_crash : std::runtime_error {
    simulated_crash() : std::runtime_error("simulated crash") {}
};

struct check_lines {
    std::vector<std::string> problems;
    std::vector<std::string> notes;
};

class prune_test : public repository::testing::repository_test {
protected:
    // Six daily snapshots of "app", each an edit of the day before, some with a second
    // stream; and one "billing" snapshot whose stream has stored content lists.
    void populate(repo& r) {
        stream_bytes db = test_data::random_stream(150'000, 1);
        for (int day = 0; day < 6; ++day) {
            db = edited(db, static_cast<std::size_t>(day) * 20'000, 15'000, 10 + static_cast<std::uint64_t>(day));
            snapshot_spec spec{.source = "app", .time = at_hour(24 * day), .streams = {{"db", db}}};
            if (day % 2 == 0)
                spec.streams["log"] = test_data::text_stream(40'000, 100 + static_cast<std::uint64_t>(day));
            record(r, spec);
        }
        record(r, {.source = "billing",
                   .time = at_hour(1),
                   .streams = {{"ledger", test_data::random_stream(90'000, 7)}},
                   .blob_size = 60});
    }

    object_id record(repo& r, const snapshot_spec& spec) {
        const object_id id = make_snapshot(r, spec);
        originals[id] = spec.streams;
        return id;
    }

    // Every remaining snapshot reads back bit for bit; returns how many there are.
    std::size_t expect_snapshots_intact(const repo& r) {
        const auto ids = list_snapshot_ids(r);
        for (const object_id& id : ids) {
            EXPECT_TRUE(originals.contains(id));
            EXPECT_TRUE(read_streams(r, id) == originals[id]) << "snapshot " << id.hex() << " changed";
        }
        return ids.size();
    }

    check_lines check(repo& r) {
        check_lines out;
        run_check(r, {.read_data = true},
                  {[&](const std::string& line) { out.problems.push_back(line); },
                   [&](const std::string& line) { out.notes.push_back(line); }});
        return out;
    }

    // Keeps the newest snapshot of each source.
    std::size_t forget_all_but_last(repo& r) {
        return execute_forget(r, plan_forget(r, {.last = 1}, {}));
    }

    std::set<std::string> all_objects() const {
        std::set<std::string> keys;
        for (const char* prefix : {"data/", "index/", "snapshots/", "keys/", "config"})
            for (const auto& key : objects(prefix)) keys.insert(key);
        return keys;
    }

    std::map<object_id, std::map<std::string, stream_bytes>> originals;
};

TEST_F(prune_test, ForgetAndPruneKeepEveryByteOfTheKeptSnapshots) {
    repo r = init();
    populate(r);
    const std::uint64_t before = stored_bytes(r.storage(), "data/");

    EXPECT_EQ(forget_all_but_last(r), 5u);
    EXPECT_EQ(list_snapshot_ids(r).size(), 2u);
    const prune_report report = prune(r, {});
    EXPECT_TRUE(report.changed);
    EXPECT_EQ(report.snapshots, 2u);
    EXPECT_GT(report.remove.packs + report.repack.packs, 0u);
    EXPECT_GT(report.unused_bytes, 0u);
    EXPECT_EQ(report.before.bytes, before);

    const std::uint64_t after = stored_bytes(r.storage(), "data/");
    EXPECT_LT(after, before * 2 / 3) << "storage did not shrink enough: " << before << " -> " << after;
    EXPECT_EQ(report.after.bytes, after);

    repo fresh = open();
    fresh.load_index();
    EXPECT_EQ(expect_snapshots_intact(fresh), 2u);
    const auto lines = check(fresh);
    EXPECT_TRUE(lines.problems.empty()) << ::testing::PrintToString(lines.problems);
    EXPECT_TRUE(lines.notes.empty()) << ::testing::PrintToString(lines.notes);

    // Nothing is left to do.
    const prune_report again = prune(fresh, {.max_unused_ratio = 0.25});
    EXPECT_FALSE(again.changed);
    EXPECT_EQ(again.unused_bytes, again.unused_bytes);
}

TEST_F(prune_test, PartlyUsedPacksAreRepackedOnlyAboveTheThreshold) {
    repo r = init();
    populate(r);
    forget_all_but_last(r);
    const auto objects_before = all_objects();

    const prune_report lenient = prune(r, {.dry_run = true, .max_unused_ratio = 1.0});
    EXPECT_EQ(lenient.repack.packs, 0u);
    const prune_report strict = prune(r, {.dry_run = true, .max_unused_ratio = 0.0});
    EXPECT_GT(strict.repack.packs, 0u);
    EXPECT_EQ(strict.remove.packs, lenient.remove.packs);
    EXPECT_EQ(all_objects(), objects_before) << "a dry run changed the repository";

    const prune_report done = prune(r, {.max_unused_ratio = 0.0});
    EXPECT_EQ(done.repack.packs, strict.repack.packs);
    EXPECT_EQ(done.repack_bytes, strict.repack_bytes);
    // With every partly used pack repacked, no unused blob is left.
    r.load_index();
    const prune_report after = prune(r, {.dry_run = true});
    EXPECT_EQ(after.unused_blobs, 0u);
    EXPECT_EQ(after.used_bytes, done.used_bytes);
    EXPECT_EQ(expect_snapshots_intact(r), 2u);
}

TEST_F(prune_test, ADryRunChangesNothingAndPredictsTheRun) {
    repo r = init();
    populate(r);
    forget_all_but_last(r);
    const auto objects_before = all_objects();
    const prune_report plan = prune(r, {.dry_run = true});
    EXPECT_TRUE(plan.dry_run);
    EXPECT_EQ(all_objects(), objects_before);
    const prune_report done = prune(r, {});
    EXPECT_EQ(done.remove.packs, plan.remove.packs);
    EXPECT_EQ(done.repack.packs, plan.repack.packs);
    EXPECT_EQ(done.keep.bytes, plan.keep.bytes);
    EXPECT_EQ(done.repack_bytes, plan.repack_bytes);
}

TEST_F(prune_test, AssumedForgottenSnapshotsAreNotCounted) {
    repo r = init();
    populate(r);
    const auto plan = plan_forget(r, {.last = 1}, {});
    const prune_report with = prune(r, {.dry_run = true});
    const prune_report without = prune(r, {.dry_run = true, .assume_forgotten = plan.to_remove()});
    EXPECT_FALSE(with.changed);
    EXPECT_TRUE(without.changed);
    EXPECT_EQ(without.snapshots, 2u);
    EXPECT_EQ(list_snapshot_ids(r).size(), 7u);
}

class prune_crash_test : public prune_test, public ::testing::WithParamInterface<prune_stage> {};

TEST_P(prune_crash_test, ACrashLeavesAValidRepository) {
    repo r = init();
    populate(r);
    forget_all_but_last(r);
    prune_options options{.max_unused_ratio = 0.1};
    options.after_stage = [&](prune_stage stage) {
        if (stage == GetParam()) throw simulated_crash();
    };
    EXPECT_THROW(prune(r, options), simulated_crash);

    repo fresh = open();
    const auto lines = check(fresh);
    EXPECT_TRUE(lines.problems.empty()) << ::testing::PrintToString(lines.problems);
    EXPECT_EQ(expect_snapshots_intact(fresh), 2u);

    // The next prune finishes the job (the leftovers are brand new: no grace period here).
    const prune_report next = prune(fresh, {.orphan_grace = std::chrono::seconds(0)});
    EXPECT_EQ(next.young_orphans.packs, 0u);
    const auto after = check(fresh);
    EXPECT_TRUE(after.problems.empty()) << ::testing::PrintToString(after.problems);
    EXPECT_TRUE(after.notes.empty()) << ::testing::PrintToString(after.notes);
    EXPECT_EQ(expect_snapshots_intact(fresh), 2u);
    EXPECT_FALSE(prune(fresh, {.dry_run = true, .orphan_grace = std::chrono::seconds(0)}).changed);
}

INSTANTIATE_TEST_SUITE_P(stages, prune_crash_test,
                         ::testing::Values(prune_stage::packs_written, prune_stage::index_written,
                                           prune_stage::old_indexes_deleted, prune_stage::packs_deleted),
                         [](const auto& stage_info) {
                             switch (stage_info.param) {
                                 case prune_stage::packs_written: return std::string("AfterNewPacks");
                                 case prune_stage::index_written: return std::string("AfterNewIndex");
                                 case prune_stage::old_indexes_deleted: return std::string("AfterOldIndexesDeleted");
                                 case prune_stage::packs_deleted: return std::string("AfterPacksDeleted");
                             }
                             return std::string("unknown");
                         });

TEST_F(prune_test, OrphanPacksAreRemovedOnlyAfterTheGracePeriod) {
    repo r = init();
    populate(r);
    {
        // A killed backup: packs uploaded, never indexed, nothing uses their blobs.
        blob_store store(r, {.max_uploads = 1, .packs_per_index = 1000});
        for (std::uint64_t i = 0; i < 30; ++i) store.add(blob_type::data, test_data::random_stream(3000, 500 + i));
    }
    const auto orphans = objects("data/").size();
    const prune_report young = prune(r, {});
    EXPECT_GT(young.young_orphans.packs, 0u);
    EXPECT_EQ(objects("data/").size(), orphans);

    const prune_report old = prune(r, {.orphan_grace = std::chrono::seconds(0)});
    EXPECT_EQ(old.young_orphans.packs, 0u);
    EXPECT_EQ(old.recovered_orphans, young.young_orphans.packs);
    EXPECT_GE(old.remove.packs, young.young_orphans.packs - 1);  // the last may share used blobs
    EXPECT_LT(objects("data/").size(), orphans);
    r.load_index();
    EXPECT_EQ(expect_snapshots_intact(r), 7u);
    const auto lines = check(r);
    EXPECT_TRUE(lines.problems.empty() && lines.notes.empty())
        << ::testing::PrintToString(lines.problems) << ::testing::PrintToString(lines.notes);
}

TEST_F(prune_test, ASnapshotUsingAMissingPackStopsPruneBeforeAnyChange) {
    repo r = init();
    populate(r);
    forget_all_but_last(r);
    r.load_index();
    const object_id last = list_snapshot_ids(r).front();
    const object_id blob = load_snapshot(r, last).streams.front().content_lists.empty()
                               ? load_snapshot(r, last).streams.front().content.front()
                               : load_snapshot(r, last).streams.front().content_lists.front();
    std::filesystem::remove(file_of(names::pack(r.index().find(blob)->pack)));
    const auto objects_before = all_objects();
    try {
        prune(r, {});
        ADD_FAILURE() << "prune went ahead";
    } catch (const repository_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("changed nothing"));
        EXPECT_THAT(e.what(), HasSubstr(blob.hex()));
    }
    EXPECT_EQ(all_objects(), objects_before);
}

TEST_F(prune_test, UnencryptedRepositoriesArePrunedToo) {
    repo r = init("", repository::testing::fast_options(encryption_mode::none));
    populate(r);
    forget_all_but_last(r);
    const prune_report report = prune(r, {.max_unused_ratio = 0.0});
    EXPECT_TRUE(report.changed);
    repo fresh = open("");
    fresh.load_index();
    EXPECT_EQ(expect_snapshots_intact(fresh), 2u);
    const auto lines = check(fresh);
    EXPECT_TRUE(lines.problems.empty() && lines.notes.empty()) << ::testing::PrintToString(lines.problems);
}

TEST_F(prune_test, ForgetFiltersBySourceAndTagAndLeavesTheRestAlone) {
    repo r = init();
    record(r, {.source = "app", .time = at_hour(0), .tags = {"nightly"}, .streams = {{"a", test_data::random_stream(100, 1)}}});
    record(r, {.source = "app", .time = at_hour(1), .tags = {"manual"}, .streams = {{"a", test_data::random_stream(100, 2)}}});
    record(r, {.source = "app", .time = at_hour(2), .tags = {"nightly"}, .streams = {{"a", test_data::random_stream(100, 3)}}});
    record(r, {.source = "db", .time = at_hour(0), .tags = {"nightly"}, .streams = {{"a", test_data::random_stream(100, 4)}}});

    const auto by_tag = plan_forget(r, {.last = 1}, {.source = "app", .tags = {"nightly"}});
    EXPECT_EQ(by_tag.decisions.size(), 2u);
    EXPECT_EQ(by_tag.to_remove().size(), 1u);
    // Every tag given must be there.
    EXPECT_TRUE(plan_forget(r, {.last = 1}, {.tags = {"nightly", "manual"}}).decisions.empty());
    const auto by_source = plan_forget(r, {.last = 1}, {.source = "db"});
    EXPECT_TRUE(by_source.to_remove().empty());
    EXPECT_THROW(plan_forget(r, {}, {}), usage_error);

    EXPECT_EQ(execute_forget(r, by_tag), 1u);
    EXPECT_EQ(list_snapshot_ids(r).size(), 3u);
}

TEST_F(prune_test, ForgetLeavesAnUnreadableSnapshotAlone) {
    repo r = init();
    const object_id a = record(r, {.time = at_hour(0), .streams = {{"a", test_data::random_stream(100, 1)}}});
    record(r, {.time = at_hour(1), .streams = {{"a", test_data::random_stream(100, 2)}}});
    std::filesystem::resize_file(file_of(names::snapshot(a)), 10);
    const auto plan = plan_forget(r, {.last = 1}, {});
    EXPECT_EQ(plan.unreadable, std::vector<std::string>{names::snapshot(a)});
    EXPECT_TRUE(plan.to_remove().empty());
}

}  // namespace
}  // namespace holdfast::maintenance::testing
