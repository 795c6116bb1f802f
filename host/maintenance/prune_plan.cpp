#include "maintenance/prune_plan.hpp"

#include "core/cancellation.hpp"
#include "maintenance/used_blobs.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/pack_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_set>

namespace holdfast::maintenance {

using namespace repository;

std::vector<object_id> prune_plan::with(pack_action action) const {
    std::vector<object_id> ids;
    for (const auto& [id, pack] : packs)
        if (pack.action == action) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

bool prune_plan::changes_anything() const {
    return missing_packs > 0 || !recovered_orphans.empty() || !damaged_orphans.empty() ||
           std::any_of(packs.begin(), packs.end(),
                       [](const auto& p) { return p.second.action != pack_action::keep; });
}

bool is_live(const repo& repository, const blob_id_set& used, const object_id& pack,
             const blob_record& record) {
    if (!used.contains(record.id)) return false;
    const auto location = repository.index().find(record.id);
    return location && location->pack == pack && location->record.offset == record.offset;
}

namespace {

void stop_if_cancelled() {
    if (cancellation_requested()) throw error("prune interrupted", exit_code::interrupted);
}

// Step 1: the index of every existing pack listed by an index object, then the orphans.
void load_index(repo& repository, const pack_inventory& inventory, const prune_options& options,
                prune_plan& plan) {
    auto codec = repository.codecs().borrow();
    master_index index;
    std::unordered_set<object_id, object_id_hash> missing;
    plan.old_indexes = list_indexes(repository.storage());
    for (const object_id& id : plan.old_indexes) {
        stop_if_cancelled();
        // A damaged index throws: prune cannot know what the packs it lists hold.
        for (const indexed_pack& pack : read_index(repository.storage(), codec->objects(), id)) {
            if (inventory.find(pack.pack))
                index.add_pack(pack.pack, pack.records);
            else
                missing.insert(pack.pack);
        }
    }
    plan.missing_packs = missing.size();
    for (const object_id& id : missing) spdlog::warn("pack {} is listed in an index but missing", names::pack(id));

    const utc_time now = options.now.value_or(utc_now());
    for (const stored_pack& pack : inventory.packs()) {
        if (index.has_pack(pack.id)) continue;
        const auto written = utc_time(std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::nanoseconds(pack.modified_unix_ns)));
        // A plugin that reports no modification time gives no age: such a pack may be brand
        // new, so it is left alone.
        if (pack.modified_unix_ns == 0 || now - written < options.orphan_grace) {
            plan.young_orphans.push_back(pack);
            continue;
        }
        try {
            auto records = read_pack_header(repository.storage(), codec->objects(), pack.id, pack.size);
            index.add_pack(pack.id, records);
            plan.recovered_orphans.push_back({pack.id, std::move(records)});
        } catch (const corruption_error& e) {
            spdlog::warn("{} (prune deletes it)", e.what());
            plan.damaged_orphans.push_back(pack);
        }
    }
    repository.index() = std::move(index);
}

void classify(const repo& repository, prune_plan& plan, const object_id& pack, std::uint64_t size,
              std::span<const blob_record> records, bool orphan, double max_unused_ratio) {
    planned_pack p;
    p.size = size;
    p.orphan = orphan;
    for (const blob_record& record : records) {
        if (is_live(repository, plan.used, pack, record)) {
            p.live_bytes += record.stored_length;
            ++p.live_blobs;
        } else {
            p.dead_bytes += record.stored_length;
            ++p.dead_blobs;
        }
    }
    if (p.live_blobs == 0)
        p.action = pack_action::remove;
    else if (p.dead_blobs > 0 &&
             static_cast<double>(p.dead_bytes) > max_unused_ratio * static_cast<double>(p.live_bytes + p.dead_bytes))
        p.action = pack_action::repack;
    plan.packs.emplace(pack, p);
}

}  // namespace

prune_plan plan_prune(repo& repository, const prune_options& options) {
    prune_plan plan;
    const pack_inventory inventory = pack_inventory::list(repository.storage());
    load_index(repository, inventory, options, plan);

    used_blobs used = collect_used_blobs(repository, options.assume_forgotten);
    plan.used = std::move(used.blobs);
    plan.snapshots = used.snapshots;

    // The indexes once more, one at a time: their records are not kept in memory.
    auto codec = repository.codecs().borrow();
    for (const object_id& id : plan.old_indexes) {
        stop_if_cancelled();
        for (const indexed_pack& pack : read_index(repository.storage(), codec->objects(), id)) {
            if (plan.packs.contains(pack.pack)) continue;  // listed by two indexes
            const stored_pack* stored = inventory.find(pack.pack);
            if (!stored) continue;  // missing: dropped from the new index
            classify(repository, plan, pack.pack, stored->size, pack.records, false, options.max_unused_ratio);
        }
    }
    for (const indexed_pack& pack : plan.recovered_orphans)
        classify(repository, plan, pack.pack, inventory.find(pack.pack)->size, pack.records, true,
                 options.max_unused_ratio);
    return plan;
}

}  // namespace holdfast::maintenance
