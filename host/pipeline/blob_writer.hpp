// The backup's worker pool: chunks go in on the engine's writer threads, and workers call
// blob_store::add on them (id, dedup, compression, sealing, packing and uploads all happen
// there). In front of the pool sits a byte budget: a chunk is copied only once the bytes in
// flight leave room for it, so the engine's write() blocks while the workers are behind.
//
// Memory: the budget (chunks queued or being stored) plus what the blob store holds (the
// open pack and the packs uploading, see blob_store.hpp).
#pragma once

#include "pipeline/byte_budget.hpp"
#include "pipeline/task_pool.hpp"
#include "repository/blob_store.hpp"
#include "repository/delta_sketch.hpp"
#include "repository/object_id.hpp"

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <future>
#include <memory>
#include <span>

namespace holdfast::pipeline {

// Bytes in flight for `threads` workers: about four average chunks each, so every worker
// has the next chunk waiting while it stores one, and never less than two of the largest
// chunks (a forced cut at max_size must fit without stalling the other workers).
std::size_t default_budget(const repository::chunker_params& chunks, std::size_t threads) noexcept;

class blob_writer {
public:
    blob_writer(repository::blob_store& store, std::size_t threads, std::size_t budget_bytes);
    blob_writer(const blob_writer&) = delete;
    blob_writer& operator=(const blob_writer&) = delete;
    // Drops queued chunks and waits for the running ones.
    ~blob_writer() = default;

    // Waits for room in the budget, copies `chunk` and queues it; the future gives its blob
    // id once stored (or the worker's exception). A new chunk is stored as a delta when
    // `references` (the previous snapshot's version of the stream; may be null) has chunks
    // that share keys with `sketch`. Throws plugin_error(HF_ERR_CANCELLED) when the user
    // interrupts while it waits, and the first worker failure once one failed.
    std::future<repository::object_id> store(std::span<const std::byte> chunk, const repository::chunk_sketch& sketch,
                                             std::shared_ptr<const repository::delta_references> references);

    // After a failure or an interruption: nothing queued needs storing any more.
    void abandon() noexcept { pool_.discard_pending(); }

    bool failed() const noexcept { return failed_.load(); }
    // Rethrows the first worker failure, if any.
    void throw_if_failed() const;
    const byte_budget& budget() const noexcept { return budget_; }
    std::size_t threads() const noexcept { return pool_.size(); }

private:
    repository::blob_store& store_;
    byte_budget budget_;
    std::atomic<bool> failed_{false};
    mutable std::mutex failure_mutex_;
    std::exception_ptr failure_;
    // Last: its threads are joined first, while everything they use is still alive.
    task_pool pool_;
};

}  // namespace holdfast::pipeline
