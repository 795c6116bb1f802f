#include "cli/commands/prune_report_output.hpp"

#include "cli/units.hpp"

#include <string>

namespace holdfast::cli {

using json = nlohmann::ordered_json;
using maintenance::pack_total;
using maintenance::prune_report;

namespace {

std::string packs_text(const pack_total& total) {
    return std::to_string(total.packs) + (total.packs == 1 ? " pack, " : " packs, ") + human_bytes(total.bytes);
}

json total_json(const pack_total& total) { return {{"packs", total.packs}, {"bytes", total.bytes}}; }

}  // namespace

void print_prune_report(std::ostream& out, const prune_report& r) {
    const bool dry = r.dry_run;
    out << "snapshots     " << r.snapshots << ", using " << r.used_blobs << " blobs (" << human_bytes(r.used_bytes)
        << " stored)\n"
        << "unused        " << r.unused_blobs << " blobs (" << human_bytes(r.unused_bytes) << ")\n"
        << "packs         " << packs_text(r.before) << " in storage\n"
        << "  keep        " << packs_text(r.keep) << '\n'
        << "  delete      " << packs_text(r.remove) << " (nothing in them is used)\n"
        << "  repack      " << packs_text(r.repack) << " (" << human_bytes(r.repack_bytes) << " still used "
        << (dry ? "would be" : "was") << " copied)\n";
    if (r.recovered_orphans > 0)
        out << "  orphans     " << r.recovered_orphans << " unindexed packs taken into the index\n";
    if (r.damaged_orphans.packs > 0)
        out << "  damaged     " << packs_text(r.damaged_orphans) << " unindexed and unreadable: deleted\n";
    if (r.young_orphans.packs > 0)
        out << "  left alone  " << packs_text(r.young_orphans)
            << " unindexed but recent (a backup may be writing them; see --orphan-grace)\n";
    if (r.missing_packs > 0)
        out << "  missing     " << r.missing_packs << " packs listed by an index but absent: dropped from the index\n";
    if (!r.changed) {
        out << "nothing to prune\n";
        return;
    }
    const std::uint64_t freed = r.before.bytes > r.after.bytes ? r.before.bytes - r.after.bytes : 0;
    if (dry) {
        out << "would free about " << human_bytes(freed) << ": " << packs_text(r.before) << " -> about "
            << packs_text(r.after) << " (dry run: nothing was changed)\n";
    } else {
        out << "freed " << human_bytes(freed) << ": " << packs_text(r.before) << " -> " << packs_text(r.after)
            << "; wrote " << r.written.packs << " packs and " << r.indexes_written << " index objects, deleted "
            << r.indexes_deleted << " index objects\n";
    }
}

json prune_report_json(const prune_report& r) {
    return {{"dry_run", r.dry_run},
            {"changed", r.changed},
            {"snapshots", r.snapshots},
            {"used_blobs", r.used_blobs},
            {"used_bytes", r.used_bytes},
            {"unused_blobs", r.unused_blobs},
            {"unused_bytes", r.unused_bytes},
            {"before", total_json(r.before)},
            {"keep", total_json(r.keep)},
            {"delete", total_json(r.remove)},
            {"repack", total_json(r.repack)},
            {"repack_bytes", r.repack_bytes},
            {"recovered_orphans", r.recovered_orphans},
            {"damaged_orphans", total_json(r.damaged_orphans)},
            {"young_orphans", total_json(r.young_orphans)},
            {"missing_packs", r.missing_packs},
            {"written", total_json(r.written)},
            {"indexes_written", r.indexes_written},
            {"indexes_deleted", r.indexes_deleted},
            {"after", total_json(r.after)}};
}

}  // namespace holdfast::cli
