// Pipeline tests run against a real repository on the `local` storage plugin, loaded through
// the host's catalog from the build tree (tests/repository/repository_fixture.hpp). Streams are
// written the way an engine writes them: through a backup_target, in pieces of varying size.
#pragma once

#include "pipeline/run_backup.hpp"
#include "pipeline/snapshot_origin.hpp"
#include "pipeline/task_pool.hpp"
#include "repository/repository.hpp"
#include "repository_fixture.hpp"
#include "sample_data.hpp"

#include <holdfast/client/engine.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <future>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace holdfast::pipeline::testing {

using bytes = std::vector<std::byte>;
using named_stream = std::pair<std::string, bytes>;

// Small chunks (64 B / 256 B / 1 KiB) give thousands of blobs from little data, for content
// lists that spill into list blobs.
repository::init_options tiny_chunks();

// Writes `data` into `writer` in pieces of 1 byte to 300 KiB, so chunks span writes and
// writes span chunks; then finishes it.
void write_in_pieces(client::stream_writer& writer, std::span<const std::byte> data, std::uint64_t seed,
                     bool commit = true);

struct partial_read {
    bytes delivered;
    std::optional<client::plugin_error> error;
};

// Reads until the end or the first error, keeping what was handed over.
partial_read read_until_error(client::stream_reader& reader, std::size_t piece = 64 * 1024);

// Damages one byte of a file in place (a pack, say).
void flip_byte(const std::filesystem::path& file, std::uintmax_t offset);

// Holds one worker of `pool` with a task until release() (or destruction), as a busy host
// holds back workers that run at the lowest priority. With a pool of one thread, tasks
// submitted meanwhile stay queued.
class occupied_worker {
public:
    explicit occupied_worker(task_pool& pool);
    ~occupied_worker() { release(); }
    occupied_worker(const occupied_worker&) = delete;
    occupied_worker& operator=(const occupied_worker&) = delete;
    void release();

private:
    std::promise<void> started_, gate_;
    std::future<void> held_;
    bool released_ = false;
};

class pipeline_test : public repository::testing::repository_test {
protected:
    // Backs the streams up one after the other (as most engines do) and returns the outcome.
    backup_outcome backup(repository::repo& repo, const std::vector<named_stream>& streams,
                          backup_request request = {});

    // One stream of a snapshot, read back through a snapshot_origin in pieces of `piece`.
    static bytes read_back(const repository::repo& repo, const repository::snapshot& snap, const std::string& name,
                           std::size_t piece = 100 * 1024);
};

}  // namespace holdfast::pipeline::testing
