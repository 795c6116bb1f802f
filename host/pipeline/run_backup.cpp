#include "pipeline/run_backup.hpp"

#include "pipeline/backup_sink.hpp"
#include "pipeline/blob_writer.hpp"
#include "pipeline/interruption.hpp"
#include "progress/reporter.hpp"
#include "repository/errors.hpp"
#include "repository/local_identity.hpp"
#include "repository/snapshots.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <ranges>

namespace holdfast::pipeline {

namespace {

// The newest snapshot of the same source, if there is one.
std::optional<repository::object_id> parent_of(const repository::repo& repository, const std::string& source) {
    for (const auto& listed : repository::list_snapshots(repository) | std::views::reverse)
        if (listed.doc.source == source) return listed.id;
    return std::nullopt;
}

// The parent's streams, to store this backup's new chunks as deltas of theirs. Loaded before
// the backup starts: reading blobs while the blob store adds to the index is not safe. A
// parent that cannot be read costs only the deltas.
std::map<std::string, std::shared_ptr<const repository::delta_references>> delta_references_of(
    const repository::repo& repository, const std::optional<repository::object_id>& parent) {
    std::map<std::string, std::shared_ptr<const repository::delta_references>> out;
    if (!parent) return out;
    try {
        for (const repository::stream_entry& stream : repository::load_snapshot(repository, *parent).streams)
            if (auto references = repository::delta_references::load(repository, stream))
                out.emplace(stream.name, std::make_shared<const repository::delta_references>(std::move(*references)));
    } catch (const repository::repository_error& e) {
        spdlog::warn("the previous snapshot {} cannot be read, so this backup stores no deltas: {}", parent->hex(),
                     e.what());
        out.clear();
    }
    return out;
}

}  // namespace

backup_outcome run_backup(repository::repo& repository, const backup_request& request,
                          const std::function<void(client::backup_target&)>& produce) {
    const auto started = std::chrono::steady_clock::now();
    const repository::utc_time time = repository::utc_now();
    const repository::chunker_params chunks = repository.chunker();
    const std::size_t threads = request.threads != 0 ? request.threads : default_threads();
    const std::size_t budget = request.budget_bytes != 0 ? request.budget_bytes : default_budget(chunks, threads);
    spdlog::debug("backup of {}: {} workers, {} bytes of chunks in flight at most", request.source, threads, budget);

    const std::optional<repository::object_id> parent = parent_of(repository, request.source);
    auto references = delta_references_of(repository, parent);
    if (request.progress != nullptr) request.progress->start_phase("backup");
    repository::blob_store store(repository);
    backup_outcome outcome;
    std::vector<repository::stream_entry> streams;
    nlohmann::json metadata;
    {
        // Declared after the store: joined before it goes away, on every path.
        blob_writer writer(store, threads, budget);
        backup_sink sink(store, writer, chunks, request.progress, request.checkpoint, std::move(references));
        try {
            produce(sink);
            throw_if_cancelled();  // the engine may have finished despite the interruption
        } catch (...) {
            writer.abandon();  // nothing queued matters any more
            throw;
        }
        streams = sink.take_streams();
        metadata = sink.metadata();
        outcome.peak_bytes_in_flight = writer.budget().peak();
    }

    // packs -> index -> snapshot: the snapshot only ever names blobs that are durable.
    if (request.progress != nullptr) request.progress->start_phase("flush");
    store.flush();
    throw_if_cancelled();
    if (request.checkpoint) request.checkpoint();

    const auto who = repository::local_identity::current();
    repository::snapshot& snap = outcome.snapshot;
    snap.time = time;
    snap.host = who.host;
    snap.user = who.user;
    snap.source = request.source;
    snap.engine = request.engine;
    snap.engine_version = request.engine_version;
    snap.metadata = std::move(metadata);
    snap.tags = request.tags;
    snap.parent = parent;
    snap.streams = std::move(streams);
    outcome.stats = store.stats();
    snap.summary.duration_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    snap.summary.bytes_new = outcome.stats.bytes_new;
    snap.summary.blobs_new = outcome.stats.blobs_new;
    snap.summary.bytes_stored_new = outcome.stats.bytes_stored_new;
    outcome.id = repository::save_snapshot(repository, snap);
    return outcome;
}

}  // namespace holdfast::pipeline
