#include "pipeline/blob_writer.hpp"

#include <algorithm>
#include <future>
#include <vector>

namespace holdfast::pipeline {

std::size_t default_budget(const repository::chunker_params& chunks, std::size_t threads) noexcept {
    constexpr std::size_t lag = 64 * 1024 * 1024;
    return std::max({lag, 4 * chunks.avg_size * std::max<std::size_t>(threads, 1), 2 * chunks.max_size});
}

blob_writer::blob_writer(repository::blob_store& store, std::size_t threads, std::size_t budget_bytes,
                         int worker_nice)
    : store_(store), budget_(budget_bytes), pool_(threads, worker_nice) {}

std::future<repository::object_id> blob_writer::store(std::span<const std::byte> chunk,
                                                      const repository::chunk_sketch& sketch,
                                                      std::shared_ptr<const repository::delta_references> references) {
    throw_if_failed();  // the backup cannot succeed any more
    if (!budget_.try_acquire(chunk.size())) {
        // The workers are behind, perhaps held back by their priority: this thread stores the
        // chunk itself, straight from the caller's buffer (still in its cache, not copied).
        std::promise<repository::object_id> stored;
        stored.set_value(store_now(chunk, sketch, references.get()));
        return stored.get_future();
    }
    budget_lease lease(budget_, chunk.size());
    std::vector<std::byte> copy(chunk.begin(), chunk.end());
    return pool_.submit([this, bytes = std::move(copy), held = std::move(lease), sketch,
                         references = std::move(references)]() mutable {
        // Taken out of the task: a packaged_task keeps its callable as long as the future
        // lives, but the bytes and their budget must go as soon as the blob is stored.
        const std::vector<std::byte> data = std::move(bytes);
        const budget_lease release = std::move(held);
        return store_now(data, sketch, references.get());
    });
}

repository::object_id blob_writer::store_now(std::span<const std::byte> chunk, const repository::chunk_sketch& sketch,
                                             const repository::delta_references* references) {
    try {
        repository::blob_store::base_finder find_bases;
        if (references != nullptr) find_bases = [&] { return references->bases_for(sketch); };
        return store_.add(repository::blob_type::data, chunk, find_bases).id;
    } catch (...) {
        {
            std::lock_guard lock(failure_mutex_);
            if (!failure_) failure_ = std::current_exception();
        }
        failed_.store(true);
        throw;
    }
}

void blob_writer::throw_if_failed() const {
    if (!failed_.load()) return;
    std::lock_guard lock(failure_mutex_);
    std::rethrow_exception(failure_);
}

}  // namespace holdfast::pipeline
