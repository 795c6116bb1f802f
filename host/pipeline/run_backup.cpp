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
#include <mutex>
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

// The repository side of a backup (store, workers, sink), built when the engine first
// writes. Until then the engine runs without it: it connects and starts its dump program
// while the repository is still being unlocked, locked and its index loaded.
class pipeline_on_first_write final : public client::backup_target {
public:
    pipeline_on_first_write(const repository_when_ready& repository, const backup_request& request)
        : repository_(repository), request_(request) {}

    std::unique_ptr<client::stream_writer> begin_stream(const std::string& name) override {
        return sink().begin_stream(name);
    }
    void set_metadata(const std::string& json) override { sink().set_metadata(json); }

    // Waits for the repository, then builds the pipeline once; thread-safe.
    backup_sink& sink() {
        std::lock_guard lock(mutex_);
        if (sink_) return *sink_;
        repository::repo& repository = repository_();
        const repository::chunker_params chunks = repository.chunker();
        const std::size_t threads = request_.threads != 0 ? request_.threads : default_threads();
        const std::size_t budget = request_.budget_bytes != 0 ? request_.budget_bytes : default_budget(chunks, threads);
        spdlog::debug("backup of {}: {} workers at niceness +{}, {} bytes of chunks in flight at most",
                      request_.source, threads, request_.worker_nice, budget);
        parent_ = parent_of(repository, request_.source);
        auto references = delta_references_of(repository, parent_);
        store_.emplace(repository);
        writer_.emplace(*store_, threads, budget, request_.worker_nice);
        sink_.emplace(*store_, *writer_, chunks, request_.progress, request_.checkpoint, std::move(references));
        return *sink_;
    }
    // After a failure: nothing queued needs storing any more.
    void abandon() noexcept {
        std::lock_guard lock(mutex_);
        if (writer_) writer_->abandon();
    }
    // Joins the workers (every chunk is in the store); the store stays for flushing.
    void close() {
        sink_.reset();
        writer_.reset();
    }
    repository::blob_store& store() { return *store_; }
    const std::optional<repository::object_id>& parent() const { return parent_; }
    std::size_t peak_bytes_in_flight() const { return writer_->budget().peak(); }

private:
    const repository_when_ready& repository_;
    const backup_request& request_;
    std::mutex mutex_;
    std::optional<repository::object_id> parent_;
    // In this order: the writer's workers are joined before the store goes away.
    std::optional<repository::blob_store> store_;
    std::optional<blob_writer> writer_;
    std::optional<backup_sink> sink_;
};

}  // namespace

backup_outcome run_backup(repository::repo& repository, const backup_request& request,
                          const std::function<void(client::backup_target&)>& produce) {
    return run_backup([&]() -> repository::repo& { return repository; }, request, produce);
}

backup_outcome run_backup(const repository_when_ready& repository, const backup_request& request,
                          const std::function<void(client::backup_target&)>& produce) {
    const auto started = std::chrono::steady_clock::now();
    const repository::utc_time time = repository::utc_now();
    if (request.progress != nullptr) request.progress->start_phase("backup");
    pipeline_on_first_write pipeline(repository, request);
    backup_outcome outcome;
    std::vector<repository::stream_entry> streams;
    nlohmann::json metadata;
    try {
        produce(pipeline);
        throw_if_cancelled();  // the engine may have finished despite the interruption
        backup_sink& sink = pipeline.sink();  // an engine that wrote nothing still gets its snapshot
        streams = sink.take_streams();
        metadata = sink.metadata();
        outcome.peak_bytes_in_flight = pipeline.peak_bytes_in_flight();
    } catch (...) {
        pipeline.abandon();
        // A repository that could not be opened is the first thing to report (as when it
        // was opened before the engine started): the engine only saw it as a failed write.
        repository();
        throw;
    }
    pipeline.close();

    // packs -> index -> snapshot: the snapshot only ever names blobs that are durable.
    repository::blob_store& store = pipeline.store();
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
    snap.parent = pipeline.parent();
    snap.streams = std::move(streams);
    outcome.stats = store.stats();
    snap.summary.duration_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    snap.summary.bytes_new = outcome.stats.bytes_new;
    snap.summary.blobs_new = outcome.stats.blobs_new;
    snap.summary.bytes_stored_new = outcome.stats.bytes_stored_new;
    outcome.id = repository::save_snapshot(repository(), snap);
    return outcome;
}

}  // namespace holdfast::pipeline
