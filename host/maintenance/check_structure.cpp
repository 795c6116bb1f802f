// check: the config, key slots, indexes, and whether the packs they list exist.
#include "maintenance/check_state.hpp"
#include "maintenance/pack_file.hpp"
#include "repository/errors.hpp"
#include "repository/index_file.hpp"
#include "repository/key_slot.hpp"
#include "repository/object_names.hpp"
#include "repository/repository_config.hpp"
#include "repository/stored_object.hpp"

#include <algorithm>

namespace holdfast::maintenance::detail {

using namespace repository;

namespace {

std::string_view as_text(const std::vector<std::byte>& bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

void check_config(check_state& state) {
    // open() parsed it already; read it again so that check reports on what is stored now.
    try {
        const auto bytes = state.repo.storage().get(std::string(names::config));
        repository_config::parse(as_text(bytes), state.repo.location());
    } catch (const client::plugin_error& e) {
        if (e.code() != HF_ERR_NOT_FOUND) throw;
        state.problem("config is missing");
    } catch (const holdfast::error& e) {  // repository_error, or usage_error for bad parameters
        state.problem(std::string("config: ") + e.what());
    }
}

void check_key_slots(check_state& state) {
    for (const object_id& id : list_object_ids(state.repo.storage(), names::keys_prefix)) {
        ++state.report.key_slots;
        try {
            const auto bytes = read_named_object(state.repo.storage(), names::key_slot(id), id);
            parse_key_slot(id, as_text(bytes));
        } catch (const repository_error& e) {
            state.problem(without_check_advice(e.what()));
        }
    }
}

void check_indexes(check_state& state) {
    state.repo.index().clear();
    auto codec = state.repo.codecs().borrow();
    const std::size_t overhead = codec->objects().overhead();
    for (const object_id& id : list_indexes(state.repo.storage())) {
        stop_if_cancelled();
        ++state.report.indexes;
        std::vector<indexed_pack> packs;
        try {
            packs = read_index(state.repo.storage(), codec->objects(), id);
        } catch (const repository_error& e) {
            // Its packs then show up as unreferenced, and the snapshots using their blobs
            // as missing blobs: both are true until the index is rebuilt.
            state.problem(without_check_advice(e.what()));
            continue;
        }
        state.readable_indexes.push_back(id);
        for (const indexed_pack& pack : packs) {
            state.repo.index().add_pack(pack.pack, pack.records);
            const indexed_pack_info info{id, records_digest(pack.records),
                                         expected_pack_size(pack.records, overhead)};
            const auto [it, fresh] = state.indexed.emplace(pack.pack, info);
            // The same pack in two indexes is normal (recovered twice); described two ways is not.
            if (!fresh && it->second.digest != info.digest)
                state.problem("pack " + names::pack(pack.pack) + " is described differently by " +
                              names::index(it->second.index) + " and " + names::index(id));
        }
    }
    state.report.blobs = state.repo.index().blob_count();
}

void check_packs_exist(check_state& state) {
    state.inventory = pack_inventory::list(state.repo.storage());
    state.report.packs = state.inventory.packs().size();
    // In id order, so that reports are stable from run to run.
    std::vector<std::pair<object_id, indexed_pack_info>> listed(state.indexed.begin(), state.indexed.end());
    std::sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [id, info] : listed) {
        const stored_pack* stored = state.inventory.find(id);
        if (!stored) {
            state.problem("pack " + names::pack(id) + " is missing (listed in " + names::index(info.index) + ")");
            state.bad_packs.insert(id);
        } else if (stored->size != info.size) {
            state.problem("pack " + names::pack(id) + " has " + std::to_string(stored->size) + " bytes, but " +
                          names::index(info.index) + " describes " + std::to_string(info.size) +
                          " (truncated or altered)");
            state.bad_packs.insert(id);
        }
    }
    for (const stored_pack& pack : state.inventory.packs()) {
        if (state.indexed.contains(pack.id)) continue;
        ++state.report.unreferenced_packs;
        state.note("pack " + names::pack(pack.id) +
                   " is unreferenced (will be reused by the next backup or removed by prune)");
    }
}

}  // namespace holdfast::maintenance::detail
