// `holdfast backup <source>`: back a source up into the repository as one snapshot.
//
// Order matters for safety: open the source (bad settings fail before anything is
// written), take a shared lock, load the index under it, recover orphan packs (an
// interrupted backup's uploads are reused), then store what the engine writes
// (pipeline/run_backup.hpp). The engine itself starts as soon as its source is open.
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_options.hpp"
#include "cli/option_values.hpp"
#include "cli/repository_access.hpp"
#include "cli/source_access.hpp"
#include "core/error.hpp"
#include "pipeline/run_backup.hpp"
#include "progress/format.hpp"
#include "progress/json_lines.hpp"
#include "progress/reporter.hpp"
#include "repository/orphan_recovery.hpp"
#include "repository/repository_lock.hpp"

#include <holdfast/client/common.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <future>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {
namespace {

constexpr unsigned max_threads = 256;

void define(po::options_description& desc, po::positional_options_description& positional) {
    desc.add_options()  //
        ("source", text_value("SOURCE"),
         "what to back up: a configured source's name, or a URL such as sqlite:///var/lib/app.db")  //
        ("tag", po::value<std::vector<std::string>>()->value_name("TAG"),
         "record TAG with the snapshot (repeatable)")  //
        ("threads", po::value<unsigned>()->value_name("N"),
         "worker threads for hashing, compression and encryption (default: one per core)")  //
        ("worker-nice", po::value<int>()->value_name("N"),
         "lower the workers' priority by N, 0 to 19 (default: 19): they give way to the engine's thread and its "
         "dump program (and to the database when it shares holdfast's scheduling group), and the engine's thread "
         "stores chunks itself when they fall behind");
    add_repository_options(desc);
    positional.add("source", 1);
}

std::vector<std::string> tags_of(const po::variables_map& vm) {
    std::vector<std::string> tags;
    if (vm.count("tag")) tags = vm["tag"].as<std::vector<std::string>>();
    for (const auto& tag : tags)
        if (tag.empty() || !client::valid_utf8(tag)) throw usage_error("--tag needs a non-empty UTF-8 text");
    return tags;
}

std::size_t threads_of(const po::variables_map& vm) {
    if (!vm.count("threads")) return 0;
    const unsigned n = vm["threads"].as<unsigned>();
    if (n == 0 || n > max_threads)
        throw usage_error("--threads must be from 1 to " + std::to_string(max_threads));
    return n;
}

int worker_nice_of(const po::variables_map& vm) {
    if (!vm.count("worker-nice")) return pipeline::default_worker_nice;
    const int n = vm["worker-nice"].as<int>();
    if (n < 0 || n > 19) throw usage_error("--worker-nice must be from 0 to 19");
    return n;
}

double per_second(std::uint64_t bytes, std::uint64_t ms) {
    return ms == 0 ? 0.0 : static_cast<double>(bytes) * 1000.0 / static_cast<double>(ms);
}

std::uint64_t total_size(const repository::snapshot& snap) {
    std::uint64_t total = 0;
    for (const auto& s : snap.streams) total += s.size;
    return total;
}

void print_text(std::ostream& out, const pipeline::backup_outcome& r) {
    using progress::format_bytes;
    const auto& snap = r.snapshot;
    const std::uint64_t total = total_size(snap);
    out << "snapshot " << r.id.short_hex() << " saved: source " << snap.source << ", engine " << snap.engine
        << '\n';
    for (const auto& s : snap.streams) out << "  stream " << s.name << ": " << format_bytes(s.size) << '\n';
    out << "  size " << format_bytes(total) << ", new " << format_bytes(snap.summary.bytes_new) << " (stored "
        << format_bytes(snap.summary.bytes_stored_new) << " after compression)\n";
    out << "  duration " << progress::format_duration(std::chrono::seconds(snap.summary.duration_ms / 1000));
    if (snap.summary.duration_ms < 60'000) out << " (" << snap.summary.duration_ms << " ms)";
    out << ", " << progress::format_rate(per_second(total, snap.summary.duration_ms)) << '\n';
}

void print_json(std::ostream& out, const pipeline::backup_outcome& r) {
    using json = nlohmann::ordered_json;
    const auto& snap = r.snapshot;
    const std::uint64_t total = total_size(snap);
    json streams = json::array();
    for (const auto& s : snap.streams)
        streams.push_back({{"name", s.name}, {"size", s.size}, {std::string(s.checksum.key()), s.checksum.hex}});
    progress::print_result(
        out, {
                 {"snapshot", r.id.hex()},
                 {"short_id", r.id.short_hex()},
                 {"source", snap.source},
                 {"engine", snap.engine},
                 {"time", repository::format_utc(snap.time)},
                 {"parent", snap.parent ? json(snap.parent->hex()) : json(nullptr)},
                 {"tags", snap.tags},
                 {"streams", streams},
                 {"bytes", total},
                 {"bytes_new", snap.summary.bytes_new},
                 {"bytes_stored_new", snap.summary.bytes_stored_new},
                 {"blobs_new", snap.summary.blobs_new},
                 {"duration_ms", snap.summary.duration_ms},
                 {"bytes_per_second", static_cast<std::uint64_t>(per_second(total, snap.summary.duration_ms))},
             });
}

int run(context& ctx, const po::variables_map& vm) {
    if (!vm.count("source"))
        throw usage_error("backup needs a source: a configured source's name or a URL; see 'holdfast backup --help'");
    const auto tags = tags_of(vm);
    const std::size_t threads = threads_of(vm);
    const int worker_nice = worker_nice_of(vm);

    located_repository located = locate_repository(ctx, vm);
    const resolved_source source =
        resolve_source(located.target.catalog, located.target.config, vm["source"].as<std::string>());
    const std::string options = parse_engine_options(ctx, *source.engine).json.dump();
    client::engine_instance engine = open_source(located.target.catalog, source);

    // The repository is made ready on another thread while the engine starts (connects,
    // starts its dump program): deriving the key is slow on purpose, and a large index takes
    // a while to load. The engine's first write waits for it. The index is loaded under the
    // lock, so a prune that ran just before cannot have deleted packs it still lists (we
    // would deduplicate against missing data).
    std::optional<repository::repo> repo;
    std::optional<repository::repository_lock> lock;
    std::shared_future<void> ready = std::async(std::launch::async, [&] {
        repo.emplace(located.unlock());
        lock.emplace(repository::repository_lock::acquire(*repo, repository::lock_kind::shared, "holdfast backup"));
        repo->load_index();
        const auto recovered = repository::recover_orphan_packs(*repo);
        if (recovered.packs > 0)
            spdlog::info("reusing {} packs ({} blobs) left by an interrupted backup", recovered.packs,
                         recovered.blobs);
    }).share();

    progress::reporter progress(progress::choose_display(ctx.global.json), ctx.out);
    pipeline::backup_request request;
    request.source = source.name;
    request.engine = source.engine->name;
    request.engine_version = source.engine->version;
    request.tags = tags;
    request.threads = threads;
    request.worker_nice = worker_nice;
    request.checkpoint = [&lock] { lock->check(); };
    request.progress = &progress;
    const auto outcome = pipeline::run_backup(
        [&]() -> repository::repo& {
            ready.get();
            return *repo;
        },
        request, [&](client::backup_target& target) { engine.backup(options, target); });
    progress.finish();
    lock->release();

    if (ctx.global.json) print_json(ctx.out, outcome);
    else print_text(ctx.out, outcome);
    return 0;
}

}  // namespace

command backup_command() {
    command c;
    c.name = "backup";
    c.summary = "Back a source up into the repository as a new snapshot";
    c.usage = "holdfast backup <source> [--tag TAG]... [--threads N] [--worker-nice N] [engine options] [--json] [--repo LOCATION]";
    c.details =
        "SOURCE is a source of the configuration file, by name, or a URL an engine serves "
        "(sqlite:///var/lib/app.db) for a one-off backup without configuration. The engine's streams are cut "
        "into chunks, deduplicated against the repository, compressed and encrypted on N worker threads; the "
        "snapshot is saved only once everything it refers to is stored, so a failed or interrupted backup "
        "(Ctrl-C: exit 130) leaves no snapshot, and its uploaded data is reused by the next one. Prints the "
        "snapshot id, sizes, new bytes, duration and rate; with --json, progress and the result as JSON lines. The source's engine may take options of its own, listed below "
        "per engine; they are passed to it as given.";
    c.define = define;
    c.engine_options = "backup";
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
