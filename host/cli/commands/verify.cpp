// `holdfast verify <snapshot>`: prove that a snapshot can still be restored.
//
// Without --restore-test, every stream is read back through the verified readers a restore
// uses (every blob authenticated and checked against its id, each stream's checksum) and the
// bytes are discarded: the repository still holds the snapshot as it was backed up.
//
// With --restore-test, the snapshot's engine restores it into scratch space and checks the
// result against what the backup recorded (engine_instance::verify). The outcome, passed or
// failed, is recorded in the repository as a proof (repository/proofs.hpp), which
// `holdfast snapshots` shows. A check that could not run records nothing.
#include "cli/command.hpp"
#include "cli/engine_options.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/verify_report.hpp"
#include "cli/option_values.hpp"
#include "cli/repository_access.hpp"
#include "cli/snapshot_choice.hpp"
#include "cli/source_access.hpp"
#include "cli/units.hpp"
#include "core/cancellation.hpp"
#include "core/error.hpp"
#include "pipeline/snapshot_origin.hpp"
#include "pipeline/stream_check.hpp"
#include "progress/format.hpp"
#include "progress/json_lines.hpp"
#include "progress/reporter.hpp"
#include "repository/local_identity.hpp"
#include "repository/proofs.hpp"
#include "repository/repository_lock.hpp"
#include "repository/snapshots.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

namespace holdfast::cli {
namespace {

using json = nlohmann::ordered_json;

void define(po::options_description& desc, po::positional_options_description& positional) {
    desc.add_options()  //
        ("snapshot", text_value("SNAPSHOT"),
         "the snapshot: its id, a unique prefix of it (4+ hex digits), or 'latest'")  //
        ("restore-test", po::bool_switch(),
         "have the engine restore the snapshot into scratch space and check it, and record the outcome")  //
        ("source", text_value("NAME"),
         "picks the newest snapshot of NAME for 'latest'; with --restore-test, the configured source whose "
         "settings the engine uses (default: the snapshot's source)")  //
        ("source-url", text_value("URL"), "with --restore-test: open the engine on this URL instead");
    add_repository_options(desc);
    positional.add("snapshot", 1);
}

std::optional<std::string> optional_string(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
}

// The engine's own verify options (its manifest's "options.verify", e.g. --jobs), as JSON.
std::string verify_engine_options(const context& ctx, const plugins::manifest& engine) {
    return parse_engine_options(ctx, engine).json.dump();
}

// "3f1c2a9b of app (2026-11-21 13:00:05, engine sqlite)"
std::string describe(const repository::object_id& id, const repository::snapshot& snap) {
    return id.short_hex() + " of " + snap.source + " (" + local_time(snap.time) + ", engine " + snap.engine + ")";
}

std::string format_ms(std::uint64_t ms) {
    if (ms < 1000) return std::to_string(ms) + " ms";
    return progress::format_duration(std::chrono::seconds(ms / 1000));
}

// ---- without --restore-test: the data -------------------------------------------------

// A repository message without its "; run 'holdfast check ...'" advice, given once below
// the streams instead of on every line.
std::string without_advice(const std::string& message) {
    return message.substr(0, message.find("; run 'holdfast check"));
}

int check_data(context& ctx, repository::repo& repo, repository::repository_lock& lock,
               const repository::object_id& id, const repository::snapshot& snap) {
    progress::reporter progress(progress::choose_display(ctx.global.json), ctx.out);
    pipeline::snapshot_origin origin(repo, snap, {}, &progress);
    progress.start_phase("verify", origin.total_bytes());
    const auto streams = pipeline::check_streams(origin);
    progress.finish();
    lock.release();

    std::size_t damaged = 0;
    std::uint64_t bytes = 0;
    for (const auto& s : streams) {
        damaged += s.problem ? 1 : 0;
        bytes += s.bytes_read;
    }
    if (ctx.global.json) {
        json list = json::array();
        for (const auto& s : streams)
            list.push_back({{"name", s.name},
                            {"size", s.size},
                            {"bytes_read", s.bytes_read},
                            {"ok", !s.problem},
                            {"problem", s.problem ? json(*s.problem) : json(nullptr)}});
        progress::print_result(ctx.out, {{"snapshot", id.hex()},
                                         {"source", snap.source},
                                         {"engine", snap.engine},
                                         {"restore_test", false},
                                         {"ok", damaged == 0},
                                         {"bytes", bytes},
                                         {"streams", std::move(list)}});
    } else {
        if (damaged == 0)
            ctx.out << "verified snapshot " << describe(id, snap) << ": " << streams.size()
                    << (streams.size() == 1 ? " stream, " : " streams, ") << human_bytes(bytes)
                    << ", every blob and each stream's checksum checked\n";
        else
            ctx.out << "snapshot " << describe(id, snap) << " is DAMAGED: " << damaged << " of " << streams.size()
                    << (streams.size() == 1 ? " stream" : " streams") << " failed verification\n";
        for (const auto& s : streams) {
            if (s.problem)
                ctx.out << "  " << s.name << ": DAMAGED after " << human_bytes(s.bytes_read) << " of "
                        << human_bytes(s.size) << ": " << without_advice(*s.problem) << '\n';
            else
                ctx.out << "  " << s.name << ": ok, " << human_bytes(s.bytes_read) << '\n';
        }
        if (damaged > 0) ctx.out << "run 'holdfast check --read-data' to find all damage in the repository\n";
    }
    return damaged == 0 ? 0 : static_cast<int>(exit_code::check_failed);
}

// ---- with --restore-test: the engine's drill ---------------------------------------------

[[noreturn]] void cannot_verify(const repository::object_id& id, const repository::snapshot& snap) {
    throw usage_error("the " + snap.engine +
                      " engine cannot run a restore test (its plugin does not implement verify); 'holdfast verify " +
                      id.short_hex() + "' without --restore-test still checks every byte of the snapshot");
}

struct drill_result {
    client::verify_outcome outcome;
    std::uint64_t duration_ms = 0;
};

// Runs the engine's verify. A damaged snapshot is a failed drill even when the engine
// reports it as an error of its own; any other failure means the check could not run, and
// is thrown.
drill_result run_drill(client::engine_instance& engine, const std::string& options, pipeline::snapshot_origin& origin) {
    const auto started = std::chrono::steady_clock::now();
    drill_result result;
    try {
        result.outcome = engine.verify(options, origin);
    } catch (const std::exception&) {
        if (!origin.corruption()) throw;
    }
    // Stopped by Ctrl-C: whatever the engine made of it, nothing was proven either way.
    if (cancellation_requested()) throw error("restore test interrupted", exit_code::interrupted);
    // The engine's message may not say that the repository's data was at fault.
    if (auto damage = origin.corruption()) {
        result.outcome.passed = false;
        result.outcome.failure = "the snapshot's data in the repository is damaged: " + *damage;
    }
    result.duration_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    return result;
}

repository::proof make_proof(const repository::object_id& id, const resolved_source& source,
                             const drill_result& drill, nlohmann::json report) {
    const auto me = repository::local_identity::current();
    repository::proof p;
    p.snapshot = id;
    p.time = repository::utc_now();
    p.host = me.host;
    p.user = me.user;
    p.holdfast_version = HOLDFAST_VERSION;
    p.engine = source.engine->name;
    p.engine_version = source.engine->version;
    p.kind = repository::proof_kind_restore_test;
    p.passed = drill.outcome.passed;
    p.duration_ms = drill.duration_ms;
    p.summary = drill_summary(report, drill.outcome.passed, drill.outcome.failure);
    p.report = std::move(report);
    return p;
}

int restore_test(context& ctx, const po::variables_map& vm, repository_session& session,
                 repository::repository_lock& lock, const repository::object_id& id, const repository::snapshot& snap) {
    const resolved_source source =
        resolve_restore_source(session.catalog, session.config, optional_string(vm, "source").value_or(snap.source),
                               snap.engine, optional_string(vm, "source-url"));
    // Refused before the source is opened: the manifest says so without loading anything.
    if (!source.engine->has_capability("verify")) cannot_verify(id, snap);
    client::engine_instance engine = open_source(session.catalog, source);
    if (!engine.can_verify()) cannot_verify(id, snap);
    const std::string options = verify_engine_options(ctx, *source.engine);

    progress::reporter progress(progress::choose_display(ctx.global.json), ctx.out);
    pipeline::snapshot_origin origin(session.repo, snap, {}, &progress);
    progress.start_phase("restore-test", origin.total_bytes());
    const drill_result drill = run_drill(engine, options, origin);
    progress.finish();

    nlohmann::json report = nullptr;
    if (!drill.outcome.report.empty()) {
        report = nlohmann::json::parse(drill.outcome.report, nullptr, false);
        if (report.is_discarded()) report = drill.outcome.report;  // not JSON: kept as it came
    }
    const repository::proof proof = make_proof(id, source, drill, report);
    lock.check();  // a lock lost meanwhile means another process may own the repository
    const repository::object_id proof_id = repository::save_proof(session.repo, proof);
    lock.release();

    if (ctx.global.json) {
        progress::print_result(ctx.out, {{"snapshot", id.hex()},
                                         {"source", snap.source},
                                         {"engine", snap.engine},
                                         {"restore_test", true},
                                         {"passed", proof.passed},
                                         {"duration_ms", proof.duration_ms},
                                         {"summary", proof.summary},
                                         {"proof", proof_id.hex()},
                                         {"report", report}});
    } else {
        ctx.out << "restore test of snapshot " << describe(id, snap) << ": " << (proof.passed ? "PASSED" : "FAILED")
                << " in " << format_ms(proof.duration_ms) << '\n';
        ctx.out << "  " << proof.summary << '\n';
        for (const auto& line : report_lines(report)) ctx.out << "  " << line << '\n';
        ctx.out << "recorded proof " << proof_id.short_hex() << " ('holdfast snapshots' shows the newest)\n";
    }
    return proof.passed ? 0 : static_cast<int>(exit_code::check_failed);
}

int run(context& ctx, const po::variables_map& vm) {
    if (!vm.count("snapshot"))
        throw usage_error("verify needs a snapshot: an id, a prefix of one, or 'latest'; see 'holdfast verify --help'");
    const bool drill = vm["restore-test"].as<bool>();
    if (vm.count("source-url") && !drill)
        throw usage_error("--source-url only applies with --restore-test: checking the data needs no source");

    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared, "holdfast verify");
    session.repo.load_index();  // under the lock: a prune cannot change it meanwhile
    const auto id = choose_snapshot(session.repo, vm["snapshot"].as<std::string>(), optional_string(vm, "source"));
    const repository::snapshot snap = repository::load_snapshot(session.repo, id);
    return drill ? restore_test(ctx, vm, session, lock, id, snap) : check_data(ctx, session.repo, lock, id, snap);
}

}  // namespace

command verify_command() {
    command c;
    c.name = "verify";
    c.summary = "Check that a snapshot restores: its data, or with --restore-test a real restore";
    c.usage = "holdfast verify <snapshot> [--restore-test] [--source NAME | --source-url URL] [--json]";
    c.details =
        "SNAPSHOT is an id, a unique prefix of one, or 'latest' (with --source NAME when the repository holds "
        "several sources). Reads every stream of the snapshot as a restore would, checking every blob and each "
        "stream's checksum, and discards the bytes. With --restore-test the snapshot's engine restores it into "
        "scratch space and compares the result with what the backup recorded, on the source a restore would use "
        "(the configured source of the snapshot's name, --source NAME or --source-url URL); the outcome, passed "
        "or failed, is recorded in the repository and shown by 'holdfast snapshots'. Exit code 5 when the data is "
        "damaged or the restore test failed. Takes a shared lock.";
    c.define = define;
    c.engine_options = "verify";
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
