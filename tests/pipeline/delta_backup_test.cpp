// Delta blobs through the backup pipeline: a backup stores its new chunks as deltas of similar
// chunks of the previous snapshot of the source, found through the sketches that snapshot
// recorded; restores, forget + prune and check keep working, and damage to a base is found.
#include "pipeline_fixture.hpp"

#include "maintenance/check.hpp"
#include "maintenance/forget.hpp"
#include "maintenance/prune.hpp"
#include "repository/blob_codec.hpp"
#include "repository/crypto.hpp"
#include "repository/chunker.hpp"
#include "repository/delta_sketch.hpp"
#include "repository/errors.hpp"
#include "repository/index_file.hpp"
#include "repository/object_names.hpp"
#include "repository/snapshots.hpp"
#include "repository/stream_content.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

namespace holdfast::pipeline::testing {
namespace {

using repository::blob_encoding;
using repository::blob_type;
using repository::object_id;
using repository::object_id_hash;
using id_set = std::unordered_set<object_id, object_id_hash>;

// 16 / 64 / 256 KiB chunks: a few MiB give dozens of chunks, each with a few dozen sketch
// anchors. 64 KiB packs: a pack holds one or two chunks.
repository::init_options delta_options(repository::encryption_mode mode = repository::encryption_mode::aes_256_gcm) {
    auto options = repository::testing::fast_options(mode);
    options.parameters.chunk_min = 16 * 1024;
    options.parameters.chunk_avg = 64 * 1024;
    options.parameters.chunk_max = 256 * 1024;
    options.parameters.pack_size = 64 * 1024;
    return options;
}

using repository::test_data::joined;
using repository::test_data::table_rows;

std::string sha256_hex(std::span<const std::byte> data) {
    return repository::to_hex(repository::sha256::hash(data));
}

// Yesterday's and today's dump of one table: today, every 5th row of the middle 80 % has a
// new quantity (an UPDATE), and 1,000 rows were appended (INSERTs).
// The day after, c: other rows of the same region updated.
struct dumps_of_three_days {
    bytes a;
    bytes b;
    bytes c;

    dumps_of_three_days() {
        auto rows = table_rows(80'000, 1);  // about 4.4 MB
        a = joined(rows);
        update_every_fifth(rows, 0, 2);
        const auto appended = table_rows(1'000, 3);
        rows.insert(rows.end(), appended.begin(), appended.end());
        b = joined(rows);
        update_every_fifth(rows, 2, 4);
        c = joined(rows);
    }

    static void update_every_fifth(std::vector<std::string>& rows, std::size_t offset, std::uint64_t seed) {
        repository::test_data::update_quantities(rows, 8'000 + offset, 72'000, 5, seed);
    }
};

const dumps_of_three_days& dumps() {
    static const dumps_of_three_days d;
    return d;
}

backup_request request_for(std::string source) {
    backup_request request;
    request.source = std::move(source);
    return request;
}

struct check_lines {
    maintenance::check_report report;
    std::vector<std::string> problems;
};

check_lines run_check(repository::repo& r, bool read_data) {
    check_lines out;
    out.report = maintenance::run_check(r, {.read_data = read_data},
                                        {[&](const std::string& line) { out.problems.push_back(line); }, {}, {}});
    return out;
}

std::string joined_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

class delta_backup_test : public pipeline_test {
protected:
    // The snapshot's content blobs of stream "db" (in order) and the delta blobs among them.
    static std::vector<object_id> content_of(const repository::repo& r, const repository::snapshot& snap) {
        return repository::content_blobs(r, snap.streams.at(0));
    }
    static std::vector<object_id> deltas_of(const repository::repo& r, const repository::snapshot& snap) {
        std::vector<object_id> out;
        id_set seen;
        for (const object_id& id : content_of(r, snap)) {
            const auto location = r.index().find(id);
            if (location && location->record.compression == blob_encoding::zstd_delta && seen.insert(id).second)
                out.push_back(id);
        }
        return out;
    }
    // Every blob the snapshot's stream names directly: content, content lists, sketch lists.
    static id_set used_directly(const repository::repo& r, const repository::snapshot& snap) {
        const auto& stream = snap.streams.at(0);
        const auto content = content_of(r, snap);
        id_set out(content.begin(), content.end());
        out.insert(stream.content_lists.begin(), stream.content_lists.end());
        out.insert(stream.sketch_lists.begin(), stream.sketch_lists.end());
        return out;
    }
    // Pack -> the blobs the stored indexes list in it.
    static std::map<object_id, std::vector<object_id>> pack_contents(const repository::repo& r) {
        std::map<object_id, std::vector<object_id>> out;
        auto codec = r.codecs().borrow();
        for (const object_id& index : repository::list_indexes(r.storage()))
            for (const auto& pack : repository::read_index(r.storage(), codec->objects(), index))
                for (const auto& record : pack.records) out[pack.pack].push_back(record.id);
        return out;
    }
};

TEST_F(delta_backup_test, ChangedChunksAreStoredAsDeltasOfThePreviousSnapshot) {
    const bytes& a = dumps().a;
    const bytes& b = dumps().b;
    // B on its own, in a repository that has never seen A: what it costs without deltas.
    std::uint64_t fresh_stored = 0;
    {
        repository::repo fresh = init("pw", delta_options());
        const auto outcome = backup(fresh, {{"db", b}});
        EXPECT_EQ(outcome.stats.blobs_delta, 0u);
        fresh_stored = outcome.stats.bytes_stored_new;
    }
    std::filesystem::remove_all(dir());

    repository::repo repo = init("pw", delta_options());
    const auto first = backup(repo, {{"db", a}});
    EXPECT_EQ(first.stats.blobs_delta, 0u);  // no parent: nothing to be a delta of
    const auto second = backup(repo, {{"db", b}});
    ASSERT_TRUE(second.snapshot.parent);
    EXPECT_EQ(*second.snapshot.parent, first.id);

    const auto saved = repository::load_snapshot(repo, second.id);
    const auto deltas = deltas_of(repo, saved);
    EXPECT_GT(second.stats.blobs_delta, 5u);
    // Every delta the store counted is a content blob of B (sketch blobs are never deltas).
    EXPECT_EQ(deltas.size(), second.stats.blobs_delta);
    // The changed chunks cost a fraction of what they cost without a previous snapshot.
    EXPECT_LT(second.stats.bytes_stored_new * 3, fresh_stored)
        << "with deltas " << second.stats.bytes_stored_new << " bytes, fresh " << fresh_stored;
    EXPECT_EQ(saved.summary.bytes_stored_new, second.stats.bytes_stored_new);
    // Each delta's bases are data blobs of A that are not deltas themselves.
    const auto a_content = content_of(repo, repository::load_snapshot(repo, first.id));
    const id_set in_a(a_content.begin(), a_content.end());
    for (const object_id& delta : deltas) {
        const auto bases = repo.delta_bases(delta);
        ASSERT_FALSE(bases.empty());
        EXPECT_LE(bases.size(), repository::max_delta_bases);
        for (const object_id& base : bases) {
            EXPECT_TRUE(in_a.contains(base)) << base.hex();
            const auto location = repo.index().find(base);
            ASSERT_TRUE(location);
            EXPECT_EQ(location->record.type, blob_type::data);
            EXPECT_NE(location->record.compression, blob_encoding::zstd_delta);
        }
    }

    // B restores bit for bit, in this session and from a fresh open.
    const bytes restored = read_back(repo, saved, "db");
    EXPECT_EQ(restored.size(), b.size());
    EXPECT_TRUE(restored == b);
    EXPECT_EQ(sha256_hex(restored), sha256_hex(b));
    EXPECT_EQ(saved.streams[0].checksum, repository::stream_hasher::of(b));
    repository::repo reopened = open("pw");
    reopened.load_index();
    EXPECT_TRUE(read_back(reopened, repository::load_snapshot(reopened, second.id), "db", 12345) == b);
    EXPECT_TRUE(read_back(reopened, repository::load_snapshot(reopened, first.id), "db") == a);
}

TEST_F(delta_backup_test, UnencryptedRepositoriesStoreDeltasToo) {
    const bytes& a = dumps().a;
    const bytes& b = dumps().b;
    repository::repo repo = init("", delta_options(repository::encryption_mode::none));
    backup(repo, {{"db", a}});
    const auto second = backup(repo, {{"db", b}});
    EXPECT_GT(second.stats.blobs_delta, 5u);
    EXPECT_TRUE(read_back(repo, repository::load_snapshot(repo, second.id), "db") == b);
}

TEST_F(delta_backup_test, EachSnapshotRecordsOneSketchPerChunk) {
    const bytes& a = dumps().a;
    const bytes& b = dumps().b;
    repository::repo repo = init("pw", delta_options());
    const auto gear = repository::make_gear_table(repo.chunker().gear_seed);
    for (const bytes* data : {&a, &b}) {
        const auto outcome = backup(repo, {{"db", *data}});
        const auto saved = repository::load_snapshot(repo, outcome.id);
        const auto& stream = saved.streams.at(0);
        const auto content = repository::content_blobs(repo, stream);
        ASSERT_GT(content.size(), 20u);
        ASSERT_FALSE(stream.sketch_lists.empty());
        std::vector<std::byte> sketches;
        for (const object_id& list : stream.sketch_lists) {
            EXPECT_EQ(repo.index().find(list)->record.type, blob_type::sketch);
            const auto blob = repo.read_blob(list, blob_type::sketch);
            sketches.insert(sketches.end(), blob.begin(), blob.end());
        }
        ASSERT_EQ(sketches.size() % repository::sketch_bytes, 0u);
        EXPECT_EQ(sketches.size() / repository::sketch_bytes, content.size());
        // And each, in content order, is the sketch of its chunk's bytes (four u32 LE keys).
        for (std::size_t i = 0; i < content.size(); ++i) {
            repository::chunk_sketch recorded;
            for (std::size_t k = 0; k < recorded.keys.size(); ++k) {
                std::uint32_t key = 0;
                for (std::size_t at = 0; at < 4; ++at)
                    key |= std::to_integer<std::uint32_t>(sketches[i * repository::sketch_bytes + 4 * k + at]) << (8 * at);
                recorded.keys[k] = key;
            }
            EXPECT_TRUE(recorded == repository::sketch_of(repo.read_blob(content[i]), gear)) << content[i].hex();
        }
    }
}

TEST_F(delta_backup_test, AnotherSourceIsNotADeltaOfThisOne) {
    const bytes& a = dumps().a;
    const bytes& b = dumps().b;
    repository::repo repo = init("pw", delta_options());
    const auto first = backup(repo, {{"db", a}}, request_for("orders"));
    const auto other = backup(repo, {{"db", b}}, request_for("archive"));
    EXPECT_FALSE(other.snapshot.parent);
    EXPECT_EQ(other.stats.blobs_delta, 0u);
    const auto saved = repository::load_snapshot(repo, other.id);
    EXPECT_TRUE(deltas_of(repo, saved).empty());
    // It still shares the unchanged chunks with the other source: the first and last 10% of
    // the rows, about ten chunks. How many depends on the repository's random gear seed
    // (as few as 5 seen), so only a few are asked for here.
    EXPECT_GE(other.stats.blobs_known, 3u);
    EXPECT_TRUE(read_back(repo, saved, "db") == b);

    // The same change as the source's own next backup costs far less.
    const auto same = backup(repo, {{"db", b}}, request_for("orders"));
    ASSERT_TRUE(same.snapshot.parent);
    EXPECT_EQ(*same.snapshot.parent, first.id);
    // Every chunk of B is known by now (stored by "archive"): nothing new, no deltas.
    EXPECT_EQ(same.stats.blobs_delta, 0u);
    EXPECT_LT(same.stats.bytes_stored_new, other.stats.bytes_stored_new / 10);
}

TEST_F(delta_backup_test, ForgetAndPruneKeepTheBasesOfTheKeptSnapshot) {
    const bytes& a = dumps().a;
    const bytes& b = dumps().b;
    const bytes& c = dumps().c;
    repository::repo repo = init("pw", delta_options());
    const auto first = backup(repo, {{"db", a}});
    const auto second = backup(repo, {{"db", b}});
    const auto saved = repository::load_snapshot(repo, second.id);
    const id_set direct = used_directly(repo, saved);
    id_set bases;
    for (const object_id& delta : deltas_of(repo, saved))
        for (const object_id& base : repo.delta_bases(delta)) bases.insert(base);
    ASSERT_FALSE(bases.empty());
    // Chunks of A that B uses only as bases: nothing but the deltas keeps them.
    std::vector<object_id> only_bases;
    for (const object_id& base : bases)
        if (!direct.contains(base)) only_bases.push_back(base);
    ASSERT_FALSE(only_bases.empty());

    EXPECT_EQ(maintenance::execute_forget(repo, maintenance::plan_forget(repo, {.last = 1}, {})), 1u);
    ASSERT_EQ(repository::list_snapshot_ids(repo), std::vector<object_id>{second.id});
    // Repack every partly used pack: deltas and bases are copied (and verified) too.
    const auto report = maintenance::prune(repo, {.max_unused_ratio = 0.0});
    EXPECT_TRUE(report.changed);
    EXPECT_GT(report.unused_blobs, 0u);  // A's sketches at least
    EXPECT_GT(report.remove.packs + report.repack.packs, 0u);

    repository::repo reopened = open("pw");
    reopened.load_index();
    for (const object_id& base : only_bases) {
        SCOPED_TRACE(base.hex());
        ASSERT_TRUE(reopened.index().contains(base));
        EXPECT_FALSE(reopened.read_base_blob(base).empty());
    }
    // A's stream is gone; its sketch list with it.
    for (const object_id& list : first.snapshot.streams.at(0).sketch_lists) {
        ASSERT_FALSE(direct.contains(list));
        EXPECT_FALSE(reopened.index().contains(list)) << list.hex();
    }

    const auto restored = read_back(reopened, repository::load_snapshot(reopened, second.id), "db");
    EXPECT_TRUE(restored == b);
    EXPECT_EQ(sha256_hex(restored), sha256_hex(b));
    const auto lines = run_check(reopened, true);
    EXPECT_TRUE(lines.problems.empty()) << joined_lines(lines.problems);
    EXPECT_GT(lines.report.packs_read, 0u);

    // A second prune finds nothing to delete: the bases are in use.
    const auto again = maintenance::prune(reopened, {.max_unused_ratio = 0.0});
    EXPECT_FALSE(again.changed);
    EXPECT_EQ(again.unused_blobs, 0u);

    // The next day's backup has B as its parent. The chunks similar to its new ones are B's
    // deltas: it is stored against their bases, A's chunks that prune kept, never against
    // a delta.
    const auto third = backup(reopened, {{"db", c}});
    ASSERT_TRUE(third.snapshot.parent);
    EXPECT_EQ(*third.snapshot.parent, second.id);
    EXPECT_GT(third.stats.blobs_delta, 5u);
    const auto third_saved = repository::load_snapshot(reopened, third.id);
    std::size_t on_old_bases = 0;
    for (const object_id& delta : deltas_of(reopened, third_saved))
        for (const object_id& base : reopened.delta_bases(delta)) {
            const auto location = reopened.index().find(base);
            ASSERT_TRUE(location);
            EXPECT_NE(location->record.compression, blob_encoding::zstd_delta) << base.hex();
            if (bases.contains(base)) ++on_old_bases;
        }
    EXPECT_GT(on_old_bases, 0u);
    EXPECT_TRUE(read_back(reopened, third_saved, "db") == c);
    EXPECT_TRUE(read_back(reopened, repository::load_snapshot(reopened, second.id), "db") == b);
    const auto final_check = run_check(reopened, true);
    EXPECT_TRUE(final_check.problems.empty()) << joined_lines(final_check.problems);
}

// A base of one of B's deltas, in a pack that holds nothing else B names directly: losing it
// breaks B only through its deltas.
struct lost_base {
    object_id base;
    object_id pack;
    object_id delta;
};

class delta_damage_test : public delta_backup_test {
protected:
    std::optional<lost_base> base_only_reached_through_deltas(const repository::repo& r,
                                                              const repository::snapshot& snap) {
        const id_set direct = used_directly(r, snap);
        const auto packs = pack_contents(r);
        for (const object_id& delta : deltas_of(r, snap))
            for (const object_id& base : r.delta_bases(delta)) {
                const object_id pack = r.index().find(base)->pack;
                const auto& blobs = packs.at(pack);
                if (std::none_of(blobs.begin(), blobs.end(), [&](const object_id& id) { return direct.contains(id); }))
                    return lost_base{base, pack, delta};
            }
        return std::nullopt;
    }

    // Problems that name the snapshot and say that a blob of its stream cannot be read.
    static std::vector<std::string> blob_problems_of(const std::vector<std::string>& problems,
                                                     const object_id& snapshot) {
        std::vector<std::string> out;
        for (const auto& line : problems)
            if (line.find(repository::names::snapshot(snapshot)) != std::string::npos &&
                line.find("stream 'db'") != std::string::npos &&
                (line.find("missing or damaged") != std::string::npos ||
                 line.find("not in the index") != std::string::npos))
                out.push_back(line);
        return out;
    }
};

TEST_F(delta_damage_test, ALostBaseIsReportedAndNeverReadAsWrongBytes) {
    const bytes& a = dumps().a;
    const bytes& b = dumps().b;
    object_id first_id, second_id;
    lost_base lost;
    {
        repository::repo repo = init("pw", delta_options());
        first_id = backup(repo, {{"db", a}}).id;
        second_id = backup(repo, {{"db", b}}).id;
        const auto found = base_only_reached_through_deltas(repo, repository::load_snapshot(repo, second_id));
        ASSERT_TRUE(found);
        lost = *found;
    }
    std::filesystem::remove(file_of(repository::names::pack(lost.pack)));

    repository::repo repo = open("pw");
    repo.load_index();
    ASSERT_TRUE(repo.index().contains(lost.base));  // the index still lists it
    EXPECT_THROW(repo.read_base_blob(lost.base), repository::repository_error);
    EXPECT_THROW(repo.read_blob(lost.delta), repository::repository_error);
    // The delta itself is intact: its bases can still be named.
    const auto named = repo.delta_bases(lost.delta);
    EXPECT_EQ(std::count(named.begin(), named.end(), lost.base), 1);

    for (const bool read_data : {false, true}) {
        SCOPED_TRACE(read_data ? "check --read-data" : "check");
        const auto lines = run_check(repo, read_data);
        EXPECT_FALSE(lines.report.clean());
        // B's stream is affected, though none of its own chunks is in the lost pack.
        const auto about_b = blob_problems_of(lines.problems, second_id);
        EXPECT_FALSE(about_b.empty()) << joined_lines(lines.problems);
        // A uses the lost chunk directly.
        EXPECT_FALSE(blob_problems_of(lines.problems, first_id).empty()) << joined_lines(lines.problems);
        const bool pack_named = std::any_of(lines.problems.begin(), lines.problems.end(), [&](const std::string& line) {
            return line.find(lost.pack.hex()) != std::string::npos;
        });
        EXPECT_TRUE(pack_named) << joined_lines(lines.problems);
        if (read_data) {
            // Reading the data finds the delta that cannot be decoded.
            const bool delta_named = std::any_of(lines.problems.begin(), lines.problems.end(),
                                                 [&](const std::string& line) {
                                                     return line.find(lost.delta.hex()) != std::string::npos;
                                                 });
            EXPECT_TRUE(delta_named) << joined_lines(lines.problems);
        }
    }

    // Restoring B stops with an error; what it delivered before is B's own bytes.
    snapshot_origin origin(repo, repository::load_snapshot(repo, second_id));
    auto reader = origin.open("db");
    const auto partial = read_until_error(*reader);
    ASSERT_TRUE(partial.error);
    EXPECT_EQ(partial.error->code(), HF_ERR_CORRUPT);
    ASSERT_LT(partial.delivered.size(), b.size());
    EXPECT_TRUE(std::equal(partial.delivered.begin(), partial.delivered.end(), b.begin()));
    EXPECT_TRUE(origin.corruption());
    // Every stream handle fails the same way, and keeps failing.
    EXPECT_THROW(read_back(repo, repository::load_snapshot(repo, second_id), "db"), client::plugin_error);
}

TEST_F(delta_damage_test, ALostBaseIsReportedForEverySnapshotSharingTheDelta) {
    const bytes& a = dumps().a;
    const bytes& b = dumps().b;
    repository::repo repo = init("pw", delta_options());
    backup(repo, {{"db", a}});
    const auto second = backup(repo, {{"db", b}});
    // B again: every chunk is known, so this snapshot uses B's deltas as they are.
    const auto third = backup(repo, {{"db", b}});
    EXPECT_EQ(third.stats.blobs_new, 0u);
    const auto found = base_only_reached_through_deltas(repo, repository::load_snapshot(repo, second.id));
    ASSERT_TRUE(found);
    std::filesystem::remove(file_of(repository::names::pack(found->pack)));

    repository::repo reopened = open("pw");
    reopened.load_index();
    const auto lines = run_check(reopened, false);
    // Both snapshots are unreadable, and both are named, whichever check looked at first.
    EXPECT_FALSE(blob_problems_of(lines.problems, second.id).empty()) << joined_lines(lines.problems);
    EXPECT_FALSE(blob_problems_of(lines.problems, third.id).empty()) << joined_lines(lines.problems);
    for (const object_id& id : {second.id, third.id}) {
        const auto partial = [&] {
            snapshot_origin origin(reopened, repository::load_snapshot(reopened, id));
            auto reader = origin.open("db");
            return read_until_error(*reader);
        }();
        EXPECT_TRUE(partial.error);
        EXPECT_TRUE(std::equal(partial.delivered.begin(), partial.delivered.end(), b.begin()));
    }
}

}  // namespace
}  // namespace holdfast::pipeline::testing
