// `holdfast restore <snapshot>`: hand a snapshot's streams to the engine that made it, which
// restores them into the source (or where its options say). The host verifies every blob and
// each whole stream's checksum as the engine reads (pipeline/snapshot_reader.hpp), so the
// engine never receives wrong bytes without an error.
// Without a snapshot, a "standalone" engine option runs alone (restore_without_snapshot.hpp).
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/restore_shared.hpp"
#include "cli/commands/restore_without_snapshot.hpp"
#include "cli/engine_options.hpp"
#include "cli/option_values.hpp"
#include "cli/repository_access.hpp"
#include "cli/snapshot_choice.hpp"
#include "cli/source_access.hpp"
#include "core/error.hpp"
#include "pipeline/snapshot_origin.hpp"
#include "progress/json_lines.hpp"
#include "progress/reporter.hpp"
#include "repository/errors.hpp"
#include "repository/repository_lock.hpp"
#include "repository/snapshots.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace holdfast::cli {
namespace {

void define(po::options_description& desc, po::positional_options_description& positional) {
    desc.add_options()  //
        ("snapshot", text_value("SNAPSHOT"),
         "the snapshot: its id, a unique prefix of it (4+ hex digits), or 'latest'")  //
        ("source", text_value("NAME"),
         "the source to restore: picks the newest snapshot of NAME for 'latest', and the configured source "
         "whose settings the engine uses (default: the snapshot's source)")  //
        ("source-url", text_value("URL"),
         "restore into the source this URL names instead of a configured one")  //
        ("no-keep-previous", po::bool_switch(), "do not keep the data the restore replaces")  //
        ("dry-run", po::bool_switch(), "read and check the snapshot, say what would be done, change nothing");
    add_repository_options(desc);
    positional.add("snapshot", 1);
}

std::optional<std::string> optional_string(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
}

void print_text(std::ostream& out, const repository::object_id& id, const repository::snapshot& snap,
                const nlohmann::json& report, bool dry_run) {
    out << (dry_run ? "checked snapshot " : "restored snapshot ") << id.short_hex() << " of " << snap.source
        << " (" << repository::format_utc(snap.time) << ", engine " << snap.engine << ")"
        << (dry_run ? "; dry run, nothing changed" : "") << '\n';
    print_report(out, report);
}

int run(context& ctx, const po::variables_map& vm) {
    const auto source_name = optional_string(vm, "source");
    const auto source_url = optional_string(vm, "source-url");
    if (!vm.count("snapshot")) return restore_without_snapshot(ctx, vm, source_name, source_url);
    const bool dry_run = vm["dry-run"].as<bool>();

    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared, "holdfast restore");
    session.repo.load_index();  // under the lock: a prune cannot change it meanwhile
    const auto id = choose_snapshot(session.repo, vm["snapshot"].as<std::string>(), source_name);
    const repository::snapshot snap = repository::load_snapshot(session.repo, id);

    const resolved_source source = resolve_restore_source(session.catalog, session.config,
                                                          source_name.value_or(snap.source), snap.engine, source_url);
    const std::string options = restore_options(parse_engine_options(ctx, *source.engine).json, vm);
    client::engine_instance engine = open_source(session.catalog, source);

    progress::reporter progress(progress::choose_display(ctx.global.json), ctx.out);
    pipeline::snapshot_origin origin(session.repo, snap, {}, &progress);
    progress.start_phase("restore", origin.total_bytes());
    std::string report_text;
    try {
        report_text = engine.restore(options, origin);
    } catch (const std::exception& e) {
        // The engine's message may not say that the repository's data was at fault.
        if (auto damage = origin.corruption())
            throw repository::corruption_error(*damage + " (the restore was stopped: " + e.what() + ")");
        throw;
    }
    progress.finish();
    lock.release();

    const nlohmann::json report = parse_report(report_text);
    if (ctx.global.json) {
        progress::print_result(ctx.out, {{"snapshot", id.hex()},
                                         {"source", snap.source},
                                         {"engine", snap.engine},
                                         {"dry_run", dry_run},
                                         {"bytes", origin.total_bytes()},
                                         {"report", report}});
    } else {
        print_text(ctx.out, id, snap, report, dry_run);
    }
    return 0;
}

}  // namespace

command restore_command() {
    command c;
    c.name = "restore";
    c.summary = "Restore a snapshot into its source, or elsewhere";
    c.usage =
        "holdfast restore <snapshot> [--source NAME | --source-url URL] [--no-keep-previous] [--dry-run] "
        "[engine options] [--json]\n"
        "       holdfast restore --source SOURCE <standalone engine option> (e.g. --rollback DB) [--dry-run]";
    c.details =
        "SNAPSHOT is an id, a unique prefix of one, or 'latest' (with --source NAME when the repository holds "
        "several sources). The engine that made the snapshot restores it into the source: the configured "
        "source of the snapshot's name (or --source NAME), the snapshot's own URL for a one-off backup, or "
        "--source-url. The engine receives its own options (listed below per engine; sqlite's --target PATH restores "
        "to another file) and {\"keep_previous\": false} for --no-keep-previous, {\"dry_run\": true} for "
        "--dry-run, and prints its report. Every blob and each stream's checksum are verified while the engine "
        "reads; on any mismatch the restore fails before the engine has the whole stream. Without a snapshot, "
        "an engine option marked standalone (postgresql's --rollback DB) runs on the source SOURCE (a configured "
        "name or a URL) with no streams and no repository.";
    c.define = define;
    c.engine_options = "restore";
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
