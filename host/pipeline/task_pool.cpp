#include "pipeline/task_pool.hpp"

#include <algorithm>

namespace holdfast::pipeline {

std::size_t default_threads() noexcept { return std::max(1u, std::thread::hardware_concurrency()); }

task_pool::task_pool(std::size_t threads) {
    threads = std::max<std::size_t>(threads, 1);
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i)
        threads_.emplace_back([this](std::stop_token stop) { work(stop); });
}

task_pool::~task_pool() {
    discard_pending();
    for (auto& thread : threads_) thread.request_stop();
    // The jthreads join as threads_ is destroyed.
}

void task_pool::enqueue(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(job));
    }
    ready_.notify_one();
}

void task_pool::discard_pending() noexcept {
    std::deque<std::function<void()>> dropped;
    {
        std::lock_guard lock(mutex_);
        dropped.swap(queue_);
    }
    // Destroyed outside the lock: breaking a promise may wake a waiting thread.
}

void task_pool::work(std::stop_token stop) {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            if (!ready_.wait(lock, stop, [&] { return !queue_.empty(); })) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        // A packaged_task stores exceptions in its future: nothing escapes here.
        job();
    }
}

}  // namespace holdfast::pipeline
