// check: every snapshot decodes and every blob it uses is indexed and available.
#include "maintenance/check_state.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/snapshots.hpp"

#include <optional>

namespace holdfast::maintenance::detail {

using namespace repository;

namespace {

// Blobs of one stream that are wrong in one way: counted, with the first one named, so a
// lost index costs one line per stream rather than one per blob.
struct tally {
    std::uint64_t count = 0;
    object_id first;

    void add(const object_id& id) {
        if (count++ == 0) first = id;
    }
};

struct stream_tallies {
    tally missing;      // not in the index
    tally wrong_type;   // a data blob where a list is expected, or the reverse
    tally unavailable;  // in a missing, truncated or damaged pack, or damaged itself
    std::uint64_t plain_bytes = 0;
    bool lists_failed = false;  // some ids are unknown, so the size cannot be checked

    std::uint64_t problems() const noexcept { return missing.count + wrong_type.count + unavailable.count; }
};

class snapshot_checker {
public:
    snapshot_checker(check_state& state, const object_id& id, const snapshot& snap)
        : state_(state), label_("snapshot " + names::snapshot(id) + " (source '" + snap.source + "', " +
                                format_utc(snap.time) + ")") {}

    void check(const stream_entry& stream) {
        stream_tallies t;
        if (stream.content_lists.empty()) {
            for (const object_id& blob : stream.content) visit(t, blob, blob_type::data);
        } else {
            for (const object_id& list : stream.content_lists) check_list(t, stream, list);
        }
        for (const object_id& sketch : stream.sketch_lists) visit(t, sketch, blob_type::sketch);
        const std::string where = label_ + ": stream '" + stream.name + "' uses ";
        const auto report = [&](const tally& x, const std::string& what) {
            if (x.count > 0)
                state_.problem(where + std::to_string(x.count) + " blob" + (x.count == 1 ? " " : "s ") + what +
                               " (first: " + x.first.hex() + ")");
        };
        report(t.missing, "that are not in the index");
        report(t.wrong_type, "of the wrong type");
        report(t.unavailable, "in missing or damaged packs, or damaged themselves");
        if (t.missing.count == 0 && t.wrong_type.count == 0 && !t.lists_failed &&
            t.plain_bytes != stream.size)
            state_.problem(label_ + ": stream '" + stream.name + "' has " + std::to_string(stream.size) +
                           " bytes, but its blobs add up to " + std::to_string(t.plain_bytes));
    }

private:
    // Counts the blob as missing, of the wrong type, or unavailable (in a missing or damaged
    // pack, or damaged itself). Returns its location when it is indexed with the expected type.
    std::optional<blob_location> tally_blob(stream_tallies& t, const object_id& blob, blob_type type) {
        auto location = state_.repo.index().find(blob);
        if (!location) {
            t.missing.add(blob);
            return std::nullopt;
        }
        if (location->record.type != type) {
            t.wrong_type.add(blob);
            return std::nullopt;
        }
        if (state_.bad_packs.contains(location->pack) || state_.damaged_blobs.contains(blob)) t.unavailable.add(blob);
        return location;
    }

    // Returns whether the blob is in the index with the expected type.
    bool visit(stream_tallies& t, const object_id& blob, blob_type type) {
        const auto location = tally_blob(t, blob, type);
        if (!location) return false;
        if (type == blob_type::data) t.plain_bytes += location->record.plain_length;
        if (location->record.compression == blob_encoding::zstd_delta) check_bases(t, blob);
        return true;
    }

    // A delta blob is readable only while its bases are: each must be indexed, a data blob,
    // and in a pack that is not missing or damaged. A delta's bases are looked up once; a
    // delta found broken is looked up again for every stream that uses it, so that each of
    // them is reported, not only the first.
    void check_bases(stream_tallies& t, const object_id& delta) {
        if (!state_.deltas_checked.insert(delta) && !state_.broken_deltas.contains(delta)) return;
        std::vector<object_id> bases;
        try {
            bases = state_.repo.delta_bases(delta);
        } catch (const repository_error&) {
            t.unavailable.add(delta);
            state_.broken_deltas.insert(delta);
            return;
        }
        const std::uint64_t problems_before = t.problems();
        for (const object_id& base : bases) tally_blob(t, base, blob_type::data);
        if (t.problems() != problems_before) state_.broken_deltas.insert(delta);
    }

    void check_list(stream_tallies& t, const stream_entry& stream, const object_id& list) {
        if (!visit(t, list, blob_type::list)) {
            t.lists_failed = true;
            return;
        }
        std::vector<std::byte> bytes;
        try {
            bytes = state_.repo.read_blob(list, blob_type::list);
        } catch (const repository_error& e) {
            t.lists_failed = true;
            // Already counted as unavailable when check --read-data found it first.
            if (!state_.damaged_blobs.contains(list) && !state_.bad_packs.contains(state_.repo.index().find(list)->pack))
                state_.problem(without_check_advice(e.what()) + " (a content list of " + label_ + ", stream '" +
                               stream.name + "')");
            return;
        }
        if (bytes.empty() || bytes.size() % object_id::size != 0) {
            t.lists_failed = true;
            state_.problem(label_ + ": stream '" + stream.name + "': list blob " + list.hex() + " holds " +
                           std::to_string(bytes.size()) + " bytes, not a whole number of ids");
            return;
        }
        for (std::size_t at = 0; at < bytes.size(); at += object_id::size)
            visit(t, object_id(std::span(bytes).subspan(at).first<object_id::size>()), blob_type::data);
    }

    check_state& state_;
    std::string label_;
};

}  // namespace

void check_snapshots(check_state& state) {
    for (const object_id& id : list_snapshot_ids(state.repo)) {
        stop_if_cancelled();
        ++state.report.snapshots;
        state.snapshot_ids.insert(id);
        snapshot snap;
        try {
            snap = load_snapshot(state.repo, id);
        } catch (const repository_error& e) {
            state.problem(without_check_advice(e.what()));
            continue;
        }
        snapshot_checker checker(state, id, snap);
        for (const stream_entry& stream : snap.streams) checker.check(stream);
    }
}

}  // namespace holdfast::maintenance::detail
