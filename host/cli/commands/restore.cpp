// `holdfast restore <snapshot>`: hand a snapshot's streams to the engine that made it, which
// restores them into the source (or where --target says). The host verifies every blob and
// each whole stream's SHA-256 as the engine reads (pipeline/snapshot_reader.hpp), so the
// engine never receives wrong bytes without an error.
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"
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

#include <filesystem>
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
        ("target", text_value("PATH"),
         "restore to PATH instead of the source's own location (engines that restore to files)")  //
        ("no-keep-previous", po::bool_switch(), "do not keep the data the restore replaces")  //
        ("dry-run", po::bool_switch(), "read and check the snapshot, say what would be done, change nothing");
    add_repository_options(desc);
    positional.add("snapshot", 1);
}

std::optional<std::string> optional_string(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
}

// The options engines share (sqlite's restore options); only what was asked for, since an
// engine refuses keys it does not know (exec takes dry_run alone).
std::string restore_options(const po::variables_map& vm) {
    nlohmann::json options = nlohmann::json::object();
    if (vm.count("target")) options["target"] = std::filesystem::absolute(vm["target"].as<std::string>()).string();
    if (vm["no-keep-previous"].as<bool>()) options["keep_previous"] = false;
    if (vm["dry-run"].as<bool>()) options["dry_run"] = true;
    return options.dump();
}

void print_text(std::ostream& out, const repository::object_id& id, const repository::snapshot& snap,
                const nlohmann::json& report, bool dry_run) {
    out << (dry_run ? "checked snapshot " : "restored snapshot ") << id.short_hex() << " of " << snap.source
        << " (" << repository::format_utc(snap.time) << ", engine " << snap.engine << ")"
        << (dry_run ? "; dry run, nothing changed" : "") << '\n';
    if (!report.is_object()) return;
    for (const auto& [key, value] : report.items())
        out << "  " << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << '\n';
}

int run(context& ctx, const po::variables_map& vm) {
    if (!vm.count("snapshot"))
        throw usage_error("restore needs a snapshot: an id, a prefix of one, or 'latest'; see 'holdfast restore --help'");
    const auto source_name = optional_string(vm, "source");
    const auto source_url = optional_string(vm, "source-url");
    const std::string options = restore_options(vm);
    const bool dry_run = vm["dry-run"].as<bool>();

    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared, "holdfast restore");
    session.repo.load_index();  // under the lock: a prune cannot change it meanwhile
    const auto id = choose_snapshot(session.repo, vm["snapshot"].as<std::string>(), source_name);
    const repository::snapshot snap = repository::load_snapshot(session.repo, id);

    const resolved_source source = resolve_restore_source(session.catalog, session.config,
                                                          source_name.value_or(snap.source), snap.engine, source_url);
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

    auto report = nlohmann::json::parse(report_text, nullptr, false);
    if (report.is_discarded()) report = report_text;  // not JSON: shown as it came
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
    c.summary = "Restore a snapshot into its source, or elsewhere with --target";
    c.usage =
        "holdfast restore <snapshot> [--source NAME | --source-url URL] [--target PATH] [--no-keep-previous] "
        "[--dry-run] [--json]";
    c.details =
        "SNAPSHOT is an id, a unique prefix of one, or 'latest' (with --source NAME when the repository holds "
        "several sources). The engine that made the snapshot restores it into the source: the configured "
        "source of the snapshot's name (or --source NAME), the snapshot's own URL for a one-off backup, or "
        "--source-url. The engine receives the options {\"target\", \"keep_previous\", \"dry_run\"} as given "
        "and prints its report. Every blob and each stream's SHA-256 are verified while the engine reads; on "
        "any mismatch the restore fails before the engine has the whole stream.";
    c.define = define;
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
