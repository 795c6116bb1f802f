// `holdfast prune`: deletes the data no snapshot uses, under an exclusive lock (a dry run
// takes a shared one: it changes nothing, so backups may keep running meanwhile).
#include "cli/commands/commands.hpp"
#include "cli/commands/maintenance_options.hpp"
#include "cli/commands/prune_report_output.hpp"
#include "cli/repository_access.hpp"
#include "maintenance/prune.hpp"
#include "repository/repository_lock.hpp"

#include <ostream>

namespace holdfast::cli {
namespace {

int run(context& ctx, const po::variables_map& vm) {
    maintenance::prune_options options = prune_options_from(vm);
    options.dry_run = vm.count("dry-run") > 0;
    // The index is read under the lock: whatever ran before is complete by then.
    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(
        session.repo, options.dry_run ? repository::lock_kind::shared : repository::lock_kind::exclusive,
        "holdfast prune");
    options.check_lock = [&lock] { lock.check(); };
    const maintenance::prune_report report = maintenance::prune(session.repo, options);
    lock.release();
    if (ctx.global.json)
        ctx.out << prune_report_json(report).dump(2) << '\n';
    else
        print_prune_report(ctx.out, report);
    return 0;
}

}  // namespace

command prune_command() {
    command c;
    c.name = "prune";
    c.summary = "Delete data that no snapshot uses any more";
    c.usage =
        "holdfast prune [--repo LOCATION] [--dry-run] [--max-repack-ratio PERCENT] [--orphan-grace DURATION] "
        "[--json]";
    c.details =
        "Finds every blob the snapshots use, then per pack: keeps it when all of it is used, deletes it when "
        "none of it is, and repacks it (copies the used blobs, verified, into new packs) when more than "
        "--max-repack-ratio of it is unused. Then writes a new index, deletes the old index objects and finally "
        "the packs no index lists any more: a crash at any point leaves a valid repository, and running prune "
        "again finishes the job. Needs an exclusive lock: refuses while any other holdfast process uses the "
        "repository, or a stale lock remains (remove it with 'holdfast unlock'). --dry-run shows what would "
        "happen, with byte counts, and changes nothing.";
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
        desc.add_options()("dry-run", "show what would be deleted and repacked; change nothing");
        add_prune_options(desc);
    };
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
