#include "pipeline/task_pool.hpp"

#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace holdfast::pipeline {

std::size_t default_threads() noexcept { return std::max(1u, std::thread::hardware_concurrency()); }

namespace {

// Lowers the calling thread's priority by `nice`. PRIO_PROCESS with a thread id changes
// that thread alone on Linux.
void add_niceness(int nice) {
    if (nice <= 0) return;
    const auto tid = static_cast<id_t>(::gettid());
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (current == -1 && errno != 0) return;
    if (::setpriority(PRIO_PROCESS, tid, std::min(current + nice, 19)) != 0)
        spdlog::debug("a worker thread stays at niceness {}: {}", current, std::strerror(errno));
}

}  // namespace

task_pool::task_pool(std::size_t threads, int nice) {
    threads = std::max<std::size_t>(threads, 1);
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i)
        threads_.emplace_back([this, nice](std::stop_token stop) { work(stop, nice); });
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

bool task_pool::run_one() {
    std::function<void()> job;
    {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) return false;
        job = std::move(queue_.front());
        queue_.pop_front();
    }
    job();
    return true;
}

void task_pool::discard_pending() noexcept {
    std::deque<std::function<void()>> dropped;
    {
        std::lock_guard lock(mutex_);
        dropped.swap(queue_);
    }
    // Destroyed outside the lock: breaking a promise may wake a waiting thread.
}

void task_pool::work(std::stop_token stop, int nice) {
    add_niceness(nice);
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
