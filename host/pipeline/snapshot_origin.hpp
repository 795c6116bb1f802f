// A snapshot as the source of a restore or verify (client::restore_origin): its streams,
// the engine metadata recorded at backup, and verified readers (snapshot_reader.hpp) that
// share one small pool of read-ahead threads.
#pragma once

#include "pipeline/snapshot_reader.hpp"
#include "pipeline/task_pool.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <holdfast/client/engine.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace holdfast::progress {
class reporter;
}

namespace holdfast::pipeline {

struct read_options {
    // Threads fetching blobs ahead of the reader; 0: min(cores, 4). Reading is mostly
    // decompression and decryption: a few threads keep up with any engine.
    std::size_t threads = 0;
    // Blobs fetched ahead per open stream; 0: twice the threads. Memory per stream is at
    // most this many of the largest chunks.
    std::size_t window = 0;
};

class snapshot_origin final : public client::restore_origin {
public:
    // `repository` must outlive the origin; `progress` may be null.
    snapshot_origin(const repository::repo& repository, repository::snapshot snapshot, read_options options = {},
                    progress::reporter* progress = nullptr);

    const std::string& metadata_json() const override { return metadata_json_; }
    std::vector<client::stream_entry> streams() override;
    // Throws plugin_error(HF_ERR_NOT_FOUND) for a stream the snapshot does not have. Every
    // call makes an independent reader (its own cursor and window), so an engine may hold
    // several handles of one stream; they share only the repository and the pool.
    std::unique_ptr<client::stream_reader> open(const std::string& name) override;
    // Every reader can seek (snapshot_reader.hpp).
    bool can_seek() const override { return true; }

    // The same, typed, for the host's own use (dump).
    std::unique_ptr<snapshot_stream_reader> open_stream(const std::string& name);

    const repository::snapshot& snapshot() const noexcept { return snapshot_; }
    std::uint64_t total_bytes() const noexcept;
    // The first integrity failure a reader met, if any: an engine's error message may not
    // say that the repository was at fault.
    std::optional<std::string> corruption() const;

private:
    const repository::repo& repo_;
    const repository::snapshot snapshot_;
    const std::string metadata_json_;
    progress::reporter* progress_;
    std::size_t window_;

    mutable std::mutex mutex_;
    std::optional<std::string> corruption_;

    task_pool pool_;  // last: joined first
};

}  // namespace holdfast::pipeline
