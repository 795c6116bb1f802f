// One stream of a snapshot, read back for a restore, verify or dump (client::stream_reader).
//
// The stream's blobs are fetched a few ahead on a task pool (a window of blobs per stream,
// so memory is bounded by window x the largest chunk) and handed over in order. Every blob
// is verified as it is read (repo::read_blob). The whole-stream size and checksum are checked
// when the last blob arrives, *before* any of its bytes are handed over: an engine can never
// receive a complete stream with wrong content without an error at the end.
//
// Integrity failures are thrown as plugin_error(HF_ERR_CORRUPT) (what engine.h promises the
// engine), and every later read fails the same way.
//
// seek (ABI 1.2) moves by whole blobs without reading them: the content list holds only ids,
// the index holds each blob's plaintext length. A seek forward keeps the blobs already
// fetched that it does not pass; a seek backward, before the blob in hand, starts over from
// the first blob. Once a seek has skipped a blob unread, the whole-stream checksum can no
// longer be computed, so this handle stops checking it (each blob read is still verified,
// and the content still has to add up to the recorded size); a handle that reads every blob
// in order, including one that never seeks, keeps every check above.
#pragma once

#include "pipeline/content_cursor.hpp"
#include "pipeline/task_pool.hpp"
#include "repository/crypto.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <holdfast/client/engine.hpp>

#include <atomic>
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
    ~snapshot_stream_reader() override;

    std::size_t read(std::span<std::byte> buffer) override;
    // Throws plugin_error: HF_ERR_INVALID_ARGUMENT past the recorded size (nothing changes),
    // HF_ERR_CORRUPT for a damaged content list or a blob the index does not know.
    void seek(std::uint64_t offset) override;

    const repository::stream_entry& stream() const noexcept { return stream_; }

private:
    // A blob being fetched on the pool; its id gives its length to a seek that passes it.
    struct pending_blob {
        repository::object_id id;
        std::future<std::vector<std::byte>> plain;
    };

    void fetch(const repository::object_id& id);
    void fill_window();
    // Makes the next blob current; false at the end of the stream.
    bool next_blob();
    void verify_end();
    // Back to before the first blob, as a new reader.
    void restart();
    // From the end of the blob in hand (dropped) to `offset`, past whole blobs unread.
    void skip_to(std::uint64_t offset);
    // Forgets the blobs fetched ahead; tasks not started yet then read nothing.
    void drop_ahead() noexcept;
    [[noreturn]] void fail(const std::string& message);

    const repository::repo& repo_;
    const repository::stream_entry stream_;
    task_pool& pool_;
    const std::size_t window_;
    progress::reporter* progress_;
    std::function<void(const std::string&)> on_corruption_;

    std::unique_ptr<content_cursor> cursor_;  // points into stream_
    bool listed_all_ = false;
    std::deque<pending_blob> ahead_;
    // Shared with the tasks of ahead_, which hold nothing else of this reader (the repository
    // outlives the pool): set when their results are no longer wanted.
    std::shared_ptr<std::atomic<bool>> dropped_ = std::make_shared<std::atomic<bool>>(false);
    std::vector<std::byte> current_;
    std::size_t offset_ = 0;  // in current_
    std::size_t skip_ = 0;    // bytes a seek skips at the start of the next blob
    repository::stream_hasher hash_;
    bool hashing_ = true;        // every blob so far went through hash_, in order
    std::uint64_t fetched_ = 0;  // stream position just past current_ (blobs made current or skipped)
    bool verified_ = false;
    std::string failure_;  // set once reading failed: every later read fails too
};

}  // namespace holdfast::pipeline
