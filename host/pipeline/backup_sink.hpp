// What an engine writes a backup into (client::backup_target): hands out one
// chunked_stream per stream, and collects the finished streams, in the order they were
// begun, and the engine's metadata for the snapshot.
#pragma once

#include "pipeline/blob_writer.hpp"
#include "repository/blob_store.hpp"
#include "repository/chunker.hpp"
#include "repository/delta_sketch.hpp"
#include "repository/snapshot.hpp"

#include <holdfast/client/engine.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace holdfast::progress {
class reporter;
}

namespace holdfast::pipeline {

class backup_sink final : public client::backup_target {
public:
    // `checkpoint` (may be empty) is called from the writer threads about once a second:
    // the place to check the repository lock. `progress` may be null.
    // `references`: the previous snapshot's streams by name, to store deltas against.
    backup_sink(repository::blob_store& store, blob_writer& writer, const repository::chunker_params& chunks,
                progress::reporter* progress, std::function<void()> checkpoint,
                std::map<std::string, std::shared_ptr<const repository::delta_references>> references = {});

    std::unique_ptr<client::stream_writer> begin_stream(const std::string& name) override;
    void set_metadata(const std::string& json) override;

    // After the engine returned successfully: every stream, in the order begun. Throws
    // repository_error when a stream was abandoned or never finished (no snapshot then).
    std::vector<repository::stream_entry> take_streams();
    nlohmann::json metadata() const;

    // ---- for the streams ----
    void stream_done(std::size_t slot, repository::stream_entry entry);
    void stream_abandoned(std::size_t slot) noexcept;
    // Counts bytes for the progress display and runs the checkpoint when it is due.
    void bytes_written(std::size_t count);

private:
    repository::blob_store& store_;
    blob_writer& writer_;
    repository::chunker_params chunks_;
    progress::reporter* progress_;
    std::function<void()> checkpoint_;
    std::map<std::string, std::shared_ptr<const repository::delta_references>> references_;

    mutable std::mutex mutex_;
    std::vector<std::string> names_;                              // by slot
    std::vector<std::optional<repository::stream_entry>> done_;   // by slot
    std::vector<std::string> abandoned_;
    nlohmann::json metadata_ = nlohmann::json::object();

    std::mutex checkpoint_mutex_;
    std::chrono::steady_clock::time_point next_checkpoint_;
};

}  // namespace holdfast::pipeline
