// A budget of bytes in flight between a producer (the engine's writer thread) and the
// workers that store them, so memory stays bounded whatever the size of the stream. It never
// blocks: a producer that finds it spent does the work itself (blob_writer), which is the
// backpressure: it produces nothing more meanwhile.
#pragma once

#include <cstddef>
#include <mutex>
#include <utility>

namespace holdfast::pipeline {

class byte_budget {
public:
    explicit byte_budget(std::size_t limit) : limit_(limit) {}
    byte_budget(const byte_budget&) = delete;
    byte_budget& operator=(const byte_budget&) = delete;

    // Takes `bytes` if they fit; false, taking nothing, otherwise. A request larger than the
    // whole budget fits when nothing else is in flight.
    bool try_acquire(std::size_t bytes);
    void release(std::size_t bytes) noexcept;

    std::size_t limit() const noexcept { return limit_; }
    std::size_t in_use() const;
    // The most ever in use at once, for tests and measurements.
    std::size_t peak() const;

private:
    const std::size_t limit_;
    mutable std::mutex mutex_;
    std::size_t in_use_ = 0;
    std::size_t peak_ = 0;
};

// Gives bytes back to a budget when it goes out of scope, on every path.
class budget_lease {
public:
    budget_lease(byte_budget& budget, std::size_t bytes) noexcept : budget_(&budget), bytes_(bytes) {}
    budget_lease(budget_lease&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), bytes_(other.bytes_) {}
    budget_lease& operator=(budget_lease&&) = delete;
    budget_lease(const budget_lease&) = delete;
    budget_lease& operator=(const budget_lease&) = delete;
    ~budget_lease() {
        if (budget_ != nullptr) budget_->release(bytes_);
    }

private:
    byte_budget* budget_;
    std::size_t bytes_;
};

}  // namespace holdfast::pipeline
