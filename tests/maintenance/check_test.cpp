// check on clean and damaged repositories: each problem is one line naming the object.
#include "maintenance_fixture.hpp"

#include "maintenance/check.hpp"
#include "repository/blob_store.hpp"
#include "repository/index_file.hpp"
#include "repository/object_names.hpp"
#include "sample_data.hpp"

#include <gmock/gmock.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace holdfast::maintenance::testing {
namespace {

using namespace repository;
using ::testing::Contains;
using ::testing::HasSubstr;

struct check_result {
    check_report report;
    std::vector<std::string> problems;
    std::vector<std::string> notes;
};

class check_test : public repository::testing::repository_test {
protected:
    // Two snapshots sharing data; one stream long enough for stored content lists.
    repo populated() {
        repo r = init();
        const auto base = test_data::random_stream(120'000, 1);
        snapshot_ids.push_back(make_snapshot(r, {.time = at_hour(0), .streams = {{"db", base}}}));
        snapshot_ids.push_back(make_snapshot(
            r, {.time = at_hour(1),
                .streams = {{"db", edited(base, 50'000, 5'000, 2)}, {"wal", test_data::random_stream(70'000, 3)}},
                .blob_size = 60}));
        return r;
    }

    check_result check(repo& r, const check_options& options = {}) {
        check_result out;
        check_output output{[&](const std::string& line) { out.problems.push_back(line); },
                            [&](const std::string& line) { out.notes.push_back(line); }};
        out.report = run_check(r, options, output);
        EXPECT_EQ(out.report.problems, out.problems.size());
        return out;
    }

    // A pack holding data blobs only: check without --read-data reads the content lists
    // (to learn which blobs the snapshots use), so damage to those is found either way.
    std::string data_only_pack(const repo& r) const {
        auto codec = r.codecs().borrow();
        for (const auto& index : list_indexes(r.storage()))
            for (const auto& pack : read_index(r.storage(), codec->objects(), index))
                if (std::all_of(pack.records.begin(), pack.records.end(),
                                [](const blob_record& b) { return b.type == blob_type::data; }))
                    return names::pack(pack.pack);
        ADD_FAILURE() << "every pack holds a content list";
        return {};
    }

    std::vector<char> read(const std::string& key) const {
        std::ifstream in(file_of(key), std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }
    void write(const std::string& key, const std::vector<char>& bytes) const {
        std::ofstream(file_of(key), std::ios::binary | std::ios::trunc)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    std::string first(const std::string& prefix) const { return *objects(prefix).begin(); }

    std::vector<object_id> snapshot_ids;
};

TEST_F(check_test, ACleanRepositoryHasNoProblems) {
    repo r = populated();
    const auto result = check(r, {.read_data = true});
    EXPECT_TRUE(result.report.clean()) << ::testing::PrintToString(result.problems);
    EXPECT_TRUE(result.notes.empty());
    EXPECT_EQ(result.report.snapshots, 2u);
    EXPECT_EQ(result.report.key_slots, 1u);
    EXPECT_GT(result.report.packs, 5u);
    EXPECT_EQ(result.report.packs_read, result.report.packs);
    EXPECT_EQ(result.report.bytes_read, stored_bytes(r.storage(), "data/"));
}

TEST_F(check_test, AFlippedBitInAPackIsFoundByReadingTheData) {
    repo r = populated();
    const std::string pack = data_only_pack(r);
    auto bytes = read(pack);
    bytes[bytes.size() / 4] = static_cast<char>(bytes[bytes.size() / 4] ^ 0x10);
    write(pack, bytes);

    // Sizes are unchanged: only reading the data can tell.
    const auto structure_only = check(r);
    EXPECT_TRUE(structure_only.report.clean()) << ::testing::PrintToString(structure_only.problems);
    const auto result = check(r, {.read_data = true});
    EXPECT_FALSE(result.report.clean());
    EXPECT_THAT(result.problems, Contains(HasSubstr("pack " + pack + " is corrupt: its content does not match its name")));
    EXPECT_THAT(result.problems, Contains(AllOf(HasSubstr("in pack "), HasSubstr("is corrupt: authentication failed"))));
    EXPECT_THAT(result.problems, Contains(HasSubstr("in missing or damaged packs, or damaged themselves")));
    for (const auto& line : result.problems) EXPECT_THAT(line, Not(HasSubstr("run 'holdfast check")));
}

TEST_F(check_test, ADeletedPackIsNamed) {
    repo r = populated();
    const std::string pack = first("data/");
    std::filesystem::remove(file_of(pack));
    const auto result = check(r);
    EXPECT_THAT(result.problems, Contains(AllOf(HasSubstr("pack " + pack + " is missing (listed in index/"))));
    EXPECT_THAT(result.problems, Contains(HasSubstr("in missing or damaged packs")));
}

TEST_F(check_test, ATruncatedPackIsNamedWithoutReadingIt) {
    repo r = populated();
    const std::string pack = first("data/");
    auto bytes = read(pack);
    bytes.resize(bytes.size() - 100);
    write(pack, bytes);
    const auto result = check(r);
    EXPECT_THAT(result.problems, Contains(HasSubstr("pack " + pack + " has ")));
    EXPECT_EQ(result.report.packs_read, 0u);
}

TEST_F(check_test, ATruncatedIndexIsNamed) {
    repo r = populated();
    const std::string index = first("index/");
    auto bytes = read(index);
    bytes.resize(bytes.size() / 2);
    write(index, bytes);
    const auto result = check(r, {.read_data = true});
    EXPECT_THAT(result.problems, Contains(HasSubstr(index + " is corrupt: its content does not match its name")));
    // Its packs lost their index: noted as unreferenced; snapshots using them are named.
    EXPECT_FALSE(result.notes.empty());
    EXPECT_THAT(result.problems, Contains(HasSubstr("that are not in the index")));
}

TEST_F(check_test, AnUnreferencedPackIsReportedButIsNotAProblem) {
    repo r = populated();
    {
        // As if a backup was killed: packs uploaded, no index written.
        blob_store store(r, {.max_uploads = 1, .packs_per_index = 1000});
        for (std::uint64_t i = 0; i < 30; ++i) store.add(blob_type::data, test_data::random_stream(3000, 100 + i));
    }
    const auto result = check(r, {.read_data = true});
    EXPECT_TRUE(result.report.clean()) << ::testing::PrintToString(result.problems);
    ASSERT_FALSE(result.notes.empty());
    EXPECT_EQ(result.report.unreferenced_packs, result.notes.size());
    EXPECT_THAT(result.notes[0], HasSubstr("is unreferenced (will be reused by the next backup or removed by prune)"));
}

TEST_F(check_test, DamagedSnapshotsAndKeySlotsAreNamed) {
    repo r = populated();
    const std::string snapshot = names::snapshot(snapshot_ids[0]);
    auto bytes = read(snapshot);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
    write(snapshot, bytes);
    const std::string slot = first("keys/");
    write(slot, {'{', '}'});
    const auto result = check(r);
    EXPECT_EQ(result.report.problems, 2u) << ::testing::PrintToString(result.problems);
    EXPECT_THAT(result.problems, Contains(HasSubstr(snapshot + " is corrupt")));
    EXPECT_THAT(result.problems, Contains(HasSubstr(slot + " is corrupt")));
}

TEST_F(check_test, ASubsetReadsAShareOfThePacks) {
    repo r = populated();
    const auto all = check(r, {.read_data = true}).report.packs_read;
    const auto half = check(r, {.read_data = true, .subset = 0.5, .subset_seed = 9}).report;
    EXPECT_EQ(half.packs_read, (all + 1) / 2);
    EXPECT_TRUE(half.clean());
}

TEST_F(check_test, UnencryptedRepositoriesAreCheckedToo) {
    repo r = init("", repository::testing::fast_options(encryption_mode::none));
    make_snapshot(r, {.time = at_hour(0), .streams = {{"db", test_data::text_stream(80'000, 4)}}});
    const auto result = check(r, {.read_data = true});
    EXPECT_TRUE(result.report.clean()) << ::testing::PrintToString(result.problems);
    EXPECT_EQ(result.report.key_slots, 0u);
}

}  // namespace
}  // namespace holdfast::maintenance::testing
