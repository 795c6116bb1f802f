// check --read-data: every chosen pack read once, whole, one at a time.
#include "maintenance/check_state.hpp"
#include "maintenance/pack_file.hpp"
#include "maintenance/pack_subset.hpp"
#include "repository/crypto.hpp"
#include "repository/errors.hpp"
#include "repository/index_file.hpp"
#include "repository/object_names.hpp"

#include <algorithm>

namespace holdfast::maintenance::detail {

using namespace repository;

namespace {

// Verifies one pack: its name, its header (against `index_records` when an index lists
// it) and every blob. Blobs are checked by the index's records when there are some, since
// those are what restores use, else by the pack's own header.
void verify_pack(check_state& state, const object_id& pack,
                 const std::vector<blob_record>* index_records, const object_id* index) {
    stop_if_cancelled();
    const std::string name = names::pack(pack);
    std::vector<std::byte> bytes;
    try {
        bytes = read_whole_pack(state.repo.storage(), pack);
    } catch (const corruption_error& e) {
        state.problem(without_check_advice(e.what()));  // deleted since the listing
        return;
    }
    ++state.report.packs_read;
    state.report.bytes_read += bytes.size();
    if (object_id::of_content(bytes) != pack)
        state.problem("pack " + name + " is corrupt: its content does not match its name (" +
                      std::to_string(bytes.size()) + " bytes, truncated or altered)");

    auto codec = state.repo.codecs().borrow();
    std::vector<blob_record> header;
    bool header_ok = true;
    try {
        header = parse_pack_header(bytes, codec->objects(), pack);
    } catch (const corruption_error& e) {
        state.problem(without_check_advice(e.what()));
        header_ok = false;
    }
    if (header_ok && index_records && records_digest(header) != records_digest(*index_records))
        state.problem("pack " + name + ": its header does not match " + names::index(*index));
    if (!index_records && !header_ok) return;  // nothing says where its blobs are

    for (const blob_record& record : index_records ? *index_records : header) {
        if (std::uint64_t{record.offset} + record.stored_length > bytes.size()) {
            state.problem("blob " + record.id.hex() + " in pack " + name + " lies outside the pack");
            state.damaged_blobs.insert(record.id);
            continue;
        }
        try {
            codec->decode(pack, record, std::span(bytes).subspan(record.offset, record.stored_length),
                          [&](const object_id& base) { return state.repo.read_base_blob(base); });
        } catch (const repository_error& e) {  // corruption, or a delta's base not indexed
            state.problem(without_check_advice(e.what()));
            state.damaged_blobs.insert(record.id);
        }
    }
}

}  // namespace

void check_pack_data(check_state& state) {
    std::vector<object_id> listed;
    listed.reserve(state.inventory.packs().size());
    for (const stored_pack& p : state.inventory.packs()) listed.push_back(p.id);
    const std::vector<object_id> chosen =
        state.options.subset ? choose_pack_subset(listed, *state.options.subset, state.options.subset_seed)
                             : listed;
    std::vector<bool> done(chosen.size(), false);
    const auto position = [&](const object_id& id) -> std::optional<std::size_t> {
        const auto it = std::lower_bound(chosen.begin(), chosen.end(), id);
        if (it == chosen.end() || *it != id) return std::nullopt;
        return static_cast<std::size_t>(it - chosen.begin());
    };

    // Index by index, so each index object is read once more and only one is in memory.
    auto codec = state.repo.codecs().borrow();
    for (const object_id& index : state.readable_indexes) {
        std::vector<indexed_pack> packs;
        try {
            packs = read_index(state.repo.storage(), codec->objects(), index);
        } catch (const repository_error& e) {
            state.problem(without_check_advice(e.what()));  // changed since it was first read
            continue;
        }
        for (const indexed_pack& pack : packs) {
            const auto at = position(pack.pack);
            if (!at || done[*at]) continue;
            done[*at] = true;
            verify_pack(state, pack.pack, &pack.records, &index);
        }
    }
    // Unreferenced packs (and those of unreadable indexes), by their own headers.
    for (std::size_t i = 0; i < chosen.size(); ++i)
        if (!done[i]) verify_pack(state, chosen[i], nullptr, nullptr);
}

}  // namespace holdfast::maintenance::detail
