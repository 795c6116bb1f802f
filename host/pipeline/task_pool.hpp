// A fixed set of worker threads taking tasks from one FIFO queue. The queue itself is not
// bounded: callers bound what they submit (byte_budget for backups, a read-ahead window for
// restores), which is where the memory is.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace holdfast::pipeline {

// The default number of workers: one per core.
std::size_t default_threads() noexcept;

class task_pool {
public:
    // At least one thread. Each worker adds `nice` (0 to 19) to the niceness it starts with,
    // the calling thread's, capped at 19 (Linux sets the niceness of a thread); a worker
    // that cannot lower its priority runs as it is.
    explicit task_pool(std::size_t threads, int nice = 0);
    task_pool(const task_pool&) = delete;
    task_pool& operator=(const task_pool&) = delete;
    // Drops the tasks not started yet (their futures report broken_promise), waits for the
    // running ones, and joins the threads.
    ~task_pool();

    // Runs `task` on a worker; its result or exception arrives through the future.
    template <typename Task>
    std::future<std::invoke_result_t<Task&>> submit(Task task) {
        using result = std::invoke_result_t<Task&>;
        // std::function needs a copyable callable; packaged_task is move-only, so it is
        // shared. (std::move_only_function is C++23.)
        auto job = std::make_shared<std::packaged_task<result()>>(std::move(task));
        auto future = job->get_future();
        enqueue([job] { (*job)(); });
        return future;
    }

    // Runs the oldest task not started yet on the calling thread, at the caller's priority.
    // Returns false, at once, when none is waiting. For threads that would otherwise wait
    // for the workers.
    bool run_one();

    // Drops every task not started yet, as after a failure: nobody wants their results.
    void discard_pending() noexcept;

    std::size_t size() const noexcept { return threads_.size(); }

private:
    void enqueue(std::function<void()> job);
    void work(std::stop_token stop, int nice);

    std::mutex mutex_;
    std::condition_variable_any ready_;
    std::deque<std::function<void()>> queue_;
    // Last: destroyed (stopped and joined) first, while the queue still exists.
    std::vector<std::jthread> threads_;
};

}  // namespace holdfast::pipeline
