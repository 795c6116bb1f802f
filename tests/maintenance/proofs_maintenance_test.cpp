// Restore-test proofs under maintenance: forget removes a snapshot's proofs with it (and
// proofs left without a snapshot), check reads them and warns about orphans, prune leaves
// them be.
#include "maintenance_fixture.hpp"

#include "maintenance/check.hpp"
#include "maintenance/forget.hpp"
#include "maintenance/prune.hpp"
#include "repository/object_names.hpp"
#include "repository/proofs.hpp"
#include "repository/snapshots.hpp"
#include "sample_data.hpp"

#include <gmock/gmock.h>

#include <filesystem>

namespace holdfast::maintenance::testing {
namespace {

using namespace repository;
using ::testing::HasSubstr;

class proofs_maintenance_test : public repository::testing::repository_test {
protected:
    object_id snapshot_at(repo& r, long hour) {
        const auto seed = static_cast<std::uint64_t>(hour) + 1;
        return make_snapshot(r, {.time = at_hour(hour), .streams = {{"db", test_data::random_stream(5000, seed)}}});
    }

    object_id drill(repo& r, const object_id& snapshot, bool passed) {
        proof p;
        p.snapshot = snapshot;
        p.time = utc_now();
        p.engine = "sqlite";
        p.passed = passed;
        p.summary = passed ? "restored and checked" : "it differs";
        return save_proof(r, p);
    }

    struct check_lines {
        check_report report;
        std::vector<std::string> problems, notes, warnings;
    };
    check_lines check(repo& r) {
        check_lines out;
        out.report = run_check(r, {.read_data = true},
                               {[&](const std::string& line) { out.problems.push_back(line); },
                                [&](const std::string& line) { out.notes.push_back(line); },
                                [&](const std::string& line) { out.warnings.push_back(line); }});
        return out;
    }
};

TEST_F(proofs_maintenance_test, ForgetRemovesTheProofsOfTheSnapshotsItRemoves) {
    repo r = init();
    const object_id old = snapshot_at(r, 0);
    const object_id kept = snapshot_at(r, 1);
    drill(r, old, true);
    drill(r, old, false);
    const object_id kept_proof = drill(r, kept, true);

    EXPECT_EQ(execute_forget(r, plan_forget(r, {.last = 1}, {})), 1u);
    EXPECT_EQ(list_snapshot_ids(r), std::vector<object_id>{kept});
    EXPECT_TRUE(objects(names::proofs_of(old)).empty());
    const auto left = list_all_proofs(r);
    ASSERT_EQ(left.proofs.size(), 1u);
    EXPECT_EQ(left.proofs[0].id, kept_proof);
    const auto lines = check(r);
    EXPECT_TRUE(lines.problems.empty() && lines.warnings.empty()) << ::testing::PrintToString(lines.problems);
}

TEST_F(proofs_maintenance_test, CheckReadsProofsAndWarnsAboutOrphans) {
    repo r = init();
    const object_id snap = snapshot_at(r, 0);
    drill(r, snap, true);
    drill(r, snap, false);
    auto clean = check(r);
    EXPECT_TRUE(clean.problems.empty()) << ::testing::PrintToString(clean.problems);
    EXPECT_TRUE(clean.warnings.empty());
    EXPECT_EQ(clean.report.proofs, 2u);

    // A drill that finished while forget removed its snapshot.
    const object_id gone = object_id::of_content(repository::testing::bytes_of("forgotten meanwhile"));
    const object_id orphan = drill(r, gone, true);
    auto lines = check(r);
    EXPECT_TRUE(lines.report.clean()) << ::testing::PrintToString(lines.problems);
    EXPECT_EQ(lines.report.orphan_proofs, 1u);
    ASSERT_EQ(lines.warnings.size(), 1u);
    EXPECT_THAT(lines.warnings[0], HasSubstr(names::proof(gone, orphan)));
    EXPECT_THAT(lines.warnings[0], HasSubstr("no longer exists"));

    // The next forget removes it, even when it removes no snapshot itself.
    EXPECT_EQ(execute_forget(r, plan_forget(r, {.last = 5}, {})), 0u);
    EXPECT_TRUE(objects(names::proofs_of(gone)).empty());
    EXPECT_EQ(list_all_proofs(r).proofs.size(), 2u);
}

TEST_F(proofs_maintenance_test, ADamagedProofIsAProblem) {
    repo r = init();
    const object_id snap = snapshot_at(r, 0);
    const object_id id = drill(r, snap, true);
    std::filesystem::resize_file(file_of(names::proof(snap, id)), 30);
    const auto lines = check(r);
    ASSERT_EQ(lines.problems.size(), 1u);
    EXPECT_THAT(lines.problems[0], HasSubstr(names::proof(snap, id)));
    EXPECT_THAT(lines.problems[0], HasSubstr("corrupt"));
}

TEST_F(proofs_maintenance_test, PruneLeavesProofsAndTheirSnapshotsIntact) {
    repo r = init();
    const object_id a = snapshot_at(r, 0);
    const object_id b = snapshot_at(r, 1);
    drill(r, a, true);
    drill(r, b, false);
    execute_forget(r, plan_forget(r, {.last = 1}, {}));
    const prune_report report = prune(r, {});
    EXPECT_EQ(report.snapshots, 1u);
    EXPECT_EQ(list_all_proofs(r).proofs.size(), 1u);
    EXPECT_EQ(list_proofs(r, b).proofs.size(), 1u);
    const auto lines = check(r);
    EXPECT_TRUE(lines.problems.empty() && lines.warnings.empty()) << ::testing::PrintToString(lines.problems);
}

}  // namespace
}  // namespace holdfast::maintenance::testing
