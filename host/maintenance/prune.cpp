#include "maintenance/prune.hpp"

#include "core/cancellation.hpp"
#include "maintenance/index_batch_writer.hpp"
#include "maintenance/pack_file.hpp"
#include "maintenance/pack_rewriter.hpp"
#include "maintenance/prune_plan.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_set>

namespace holdfast::maintenance {

using namespace repository;

namespace {

class runner {
public:
    runner(repo& repository, const prune_options& options, prune_plan& plan, prune_report& report)
        : repo_(repository), options_(options), plan_(plan), report_(report) {}

    void run() {
        auto codec = repo_.codecs().borrow();
        index_batch_writer indexes(repo_.storage(), codec->objects(), options_.records_per_index);
        pack_rewriter rewriter(repo_, codec->objects(), indexes);

        step();
        for (const object_id& pack : plan_.with(pack_action::repack)) repack(pack, *codec, rewriter);
        rewriter.finish();
        report_.written = {rewriter.packs().size(), rewriter.bytes_written()};
        reached(prune_stage::packs_written);

        step();
        index_kept_packs(*codec, indexes);
        indexes.finish();
        report_.indexes_written = indexes.written().size();
        reached(prune_stage::index_written);

        // An unencrypted index is sealed with a checksum, not a random nonce, so a new
        // index can be byte for byte an old one, under the same name: never delete those.
        step();
        for (const object_id& old : plan_.old_indexes) {
            if (std::find(indexes.written().begin(), indexes.written().end(), old) != indexes.written().end())
                continue;
            repo_.storage().remove(names::index(old));
            ++report_.indexes_deleted;
        }
        reached(prune_stage::old_indexes_deleted);

        step();
        const std::unordered_set<object_id, object_id_hash> fresh(rewriter.packs().begin(), rewriter.packs().end());
        std::vector<object_id> obsolete = plan_.with(pack_action::remove);
        const auto repacked = plan_.with(pack_action::repack);
        obsolete.insert(obsolete.end(), repacked.begin(), repacked.end());
        for (const stored_pack& p : plan_.damaged_orphans) obsolete.push_back(p.id);
        for (const object_id& pack : obsolete) {
            if (fresh.contains(pack)) continue;  // rewritten into identical bytes (unencrypted)
            stop_if_cancelled();
            repo_.storage().remove(names::pack(pack));
        }
        reached(prune_stage::packs_deleted);
    }

private:
    void stop_if_cancelled() const {
        if (cancellation_requested()) throw error("prune interrupted", exit_code::interrupted);
    }

    // Before each step that changes storage: stop if asked to, or if the lock was lost.
    void step() const {
        stop_if_cancelled();
        if (options_.check_lock) options_.check_lock();
    }

    void reached(prune_stage stage) const {
        if (options_.after_stage) options_.after_stage(stage);
    }

    // Copies the pack's live blobs, each verified, into the new packs.
    void repack(const object_id& pack, blob_codec& codec, pack_rewriter& rewriter) {
        step();
        const std::vector<std::byte> bytes = read_whole_pack(repo_.storage(), pack);
        // The pack's own header says where its blobs are; is_live() compares each record
        // with the index, so a header that disagrees cannot make prune lose a blob.
        const std::vector<blob_record> records = parse_pack_header(bytes, codec.objects(), pack);
        std::uint32_t copied = 0;
        for (const blob_record& record : records) {
            if (!is_live(repo_, plan_.used, pack, record)) continue;
            const auto stored = std::span(bytes).subspan(record.offset, record.stored_length);
            try {
                codec.decode(pack, record, stored,
                             [&](const object_id& base) { return repo_.read_base_blob(base); });
            } catch (const corruption_error& e) {
                throw repository_error(std::string("prune stopped before deleting anything: ") + e.what());
            }
            rewriter.add(record, stored);
            ++copied;
            report_.repack_bytes += record.stored_length;
        }
        if (copied != plan_.packs.at(pack).live_blobs)
            throw repository_error("prune stopped before deleting anything: the header of pack " +
                                   names::pack(pack) + " does not match the index; run 'holdfast check'");
    }

    // Every kept pack (listed by an old index, or a recovered orphan) goes into the new
    // indexes with all its records: unused blobs in a kept pack stay findable until a
    // later prune repacks it.
    void index_kept_packs(blob_codec& codec, index_batch_writer& indexes) {
        std::unordered_set<object_id, object_id_hash> done;
        const auto keep = [&](indexed_pack pack) {
            const auto it = plan_.packs.find(pack.pack);
            if (it == plan_.packs.end() || it->second.action != pack_action::keep) return;
            if (!done.insert(pack.pack).second) return;
            indexes.add(std::move(pack));
        };
        for (const object_id& id : plan_.old_indexes) {
            stop_if_cancelled();
            for (indexed_pack& pack : read_index(repo_.storage(), codec.objects(), id)) keep(std::move(pack));
        }
        for (const indexed_pack& pack : plan_.recovered_orphans) keep(pack);
    }

    repo& repo_;
    const prune_options& options_;
    prune_plan& plan_;
    prune_report& report_;
};

// What the plan does, in numbers; for a dry run the new packs' size is estimated.
prune_report summarize(const repo& repository, const prune_plan& plan) {
    prune_report r;
    r.snapshots = plan.snapshots;
    r.used_blobs = plan.used.size();
    r.missing_packs = plan.missing_packs;
    r.recovered_orphans = plan.recovered_orphans.size();
    std::uint64_t repack_live_blobs = 0;
    for (const auto& [id, p] : plan.packs) {
        r.before.add(p.size);
        r.used_bytes += p.live_bytes;
        r.unused_blobs += p.dead_blobs;
        r.unused_bytes += p.dead_bytes;
        switch (p.action) {
            case pack_action::keep: r.keep.add(p.size); break;
            case pack_action::remove: r.remove.add(p.size); break;
            case pack_action::repack:
                r.repack.add(p.size);
                r.repack_bytes += p.live_bytes;
                repack_live_blobs += p.live_blobs;
                break;
        }
    }
    for (const stored_pack& p : plan.damaged_orphans) {
        r.before.add(p.size);
        r.damaged_orphans.add(p.size);
    }
    for (const stored_pack& p : plan.young_orphans) {
        r.before.add(p.size);
        r.young_orphans.add(p.size);
    }
    if (r.repack_bytes > 0) {
        const std::uint64_t target = repository.config().parameters.pack_size;
        r.written.packs = (r.repack_bytes + target - 1) / target;
        auto codec = repository.codecs().borrow();
        r.written.bytes = r.repack_bytes + repack_live_blobs * blob_record_size +
                          r.written.packs * (codec->objects().overhead() + pack_trailer_size);
    }
    r.changed = plan.changes_anything();
    return r;
}

}  // namespace

prune_report prune(repo& repository, const prune_options& options) {
    prune_plan plan = plan_prune(repository, options);
    prune_report report = summarize(repository, plan);
    report.dry_run = options.dry_run;
    const auto estimate_after = [&] {
        report.after.packs = report.keep.packs + report.young_orphans.packs + report.written.packs;
        report.after.bytes = report.keep.bytes + report.young_orphans.bytes + report.written.bytes;
    };
    if (options.dry_run || !report.changed) {
        estimate_after();
        return report;
    }
    report.repack_bytes = 0;  // counted again as the blobs are copied
    runner(repository, options, plan, report).run();
    estimate_after();
    // The in-memory index still points into deleted packs: make the repo usable again.
    repository.load_index();
    spdlog::debug("prune: {} packs written, {} index objects written, {} deleted", report.written.packs,
                  report.indexes_written, report.indexes_deleted);
    return report;
}

}  // namespace holdfast::maintenance
