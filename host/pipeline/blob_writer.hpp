// The backup's worker pool: chunks go in on the engine's writer threads, and workers call
// blob_store::add on them (id, dedup, compression, sealing, packing and uploads all happen
// there). In front of the pool sits a byte budget: a chunk is copied and queued only while
// the bytes in flight leave room for it.
//
// The workers run below the engine's priority (worker_nice): the engine's thread, the dump
// program it reads and the database server behind it are the backup's critical path, and
// the workers fill the CPU time those leave while the budget lets them fall behind. (Nice
// orders threads within one scheduling group: holdfast's session, with the dump program;
// a server in a service of its own is weighed against that group as a whole.) When it is spent, the writing thread does not wait
// for them: it stores the chunk itself, at its own priority, so a host busy with other work
// slows the backup to one normal thread at worst, never to the workers' share. So does a
// thread that waits for its stream's last chunks (help).
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

// Bytes in flight for `threads` workers: 64 MiB, how far the workers may fall behind the
// engine (on a PostgreSQL dump, about a third of a second of their work; 16 MiB was slower
// and 256 MiB no faster, docs/benchmarks.md), and at least four average chunks a worker and
// two of the largest chunks (a forced cut at max_size must fit without stalling the others).
std::size_t default_budget(const repository::chunker_params& chunks, std::size_t threads) noexcept;

class blob_writer {
public:
    // `worker_nice`: 0 to 19, added to the niceness of the workers (task_pool).
    blob_writer(repository::blob_store& store, std::size_t threads, std::size_t budget_bytes,
                int worker_nice = 0);
    blob_writer(const blob_writer&) = delete;
    blob_writer& operator=(const blob_writer&) = delete;
    // Drops queued chunks and waits for the running ones.
    ~blob_writer() = default;

    // Copies `chunk` and queues it when the budget has room for it; stores it on the calling
    // thread when not. The future gives the blob id once stored, or the exception that
    // stopped it (which store() throws itself when it stored the chunk). A new chunk is
    // stored as a delta when `references` (the previous snapshot's version of the stream;
    // may be null) has chunks that share keys with `sketch`. Throws the first failure once
    // one happened.
    std::future<repository::object_id> store(std::span<const std::byte> chunk, const repository::chunk_sketch& sketch,
                                             std::shared_ptr<const repository::delta_references> references);

    // Stores the oldest queued chunk on the calling thread; false when none is queued. For
    // a thread about to wait for a chunk's future: the workers may be behind.
    bool help() { return pool_.run_one(); }

    // The workers, so that tests can occupy them.
    task_pool& pool() noexcept { return pool_; }

    // After a failure or an interruption: nothing queued needs storing any more.
    void abandon() noexcept { pool_.discard_pending(); }

    bool failed() const noexcept { return failed_.load(); }
    // Rethrows the first worker failure, if any.
    void throw_if_failed() const;
    const byte_budget& budget() const noexcept { return budget_; }
    std::size_t threads() const noexcept { return pool_.size(); }

private:
    // blob_store::add, recording the first failure.
    repository::object_id store_now(std::span<const std::byte> chunk, const repository::chunk_sketch& sketch,
                                    const repository::delta_references* references);

    repository::blob_store& store_;
    byte_budget budget_;
    std::atomic<bool> failed_{false};
    mutable std::mutex failure_mutex_;
    std::exception_ptr failure_;
    // Last: its threads are joined first, while everything they use is still alive.
    task_pool pool_;
};

}  // namespace holdfast::pipeline
