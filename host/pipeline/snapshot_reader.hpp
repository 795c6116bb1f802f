// One stream of a snapshot, read back for a restore, verify or dump (client::stream_reader).
//
// The stream's blobs are fetched a few ahead on a task pool (a window of blobs per stream,
// so memory is bounded by window x the largest chunk) and handed over in order. Every blob
// is verified as it is read (repo::read_blob). The whole-stream size and SHA-256 are checked
// when the last blob arrives, *before* any of its bytes are handed over: an engine can never
// receive a complete stream with wrong content without an error at the end.
//
// Integrity failures are thrown as plugin_error(HF_ERR_CORRUPT) (what engine.h promises the
// engine), and every later read fails the same way.
#pragma once

#include "pipeline/content_cursor.hpp"
#include "pipeline/task_pool.hpp"
#include "repository/crypto.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <holdfast/client/engine.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace holdfast::progress {
class reporter;
}

namespace holdfast::pipeline {

class snapshot_stream_reader final : public client::stream_reader {
public:
    // `on_corruption` (may be empty) hears of the first integrity failure, for the command's
    // own message. `repository` and `pool` must outlive the reader; `progress` may be null.
    snapshot_stream_reader(const repository::repo& repository, repository::stream_entry stream, task_pool& pool,
                           std::size_t window, progress::reporter* progress,
                           std::function<void(const std::string&)> on_corruption = {});
    snapshot_stream_reader(const snapshot_stream_reader&) = delete;
    snapshot_stream_reader& operator=(const snapshot_stream_reader&) = delete;

    std::size_t read(std::span<std::byte> buffer) override;

    const repository::stream_entry& stream() const noexcept { return stream_; }

private:
    void fill_window();
    // Makes the next blob current; false at the end of the stream.
    bool next_blob();
    void verify_end();
    [[noreturn]] void fail(const std::string& message);

    const repository::repo& repo_;
    const repository::stream_entry stream_;
    task_pool& pool_;
    const std::size_t window_;
    progress::reporter* progress_;
    std::function<void(const std::string&)> on_corruption_;

    std::unique_ptr<content_cursor> cursor_;  // points into stream_
    bool listed_all_ = false;
    std::deque<std::future<std::vector<std::byte>>> ahead_;
    std::vector<std::byte> current_;
    std::size_t offset_ = 0;
    repository::sha256 hash_;
    std::uint64_t fetched_ = 0;  // bytes of the blobs made current (and hashed) so far
    bool verified_ = false;
    std::string failure_;  // set once reading failed: every later read fails too
};

}  // namespace holdfast::pipeline
