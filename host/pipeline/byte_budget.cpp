#include "pipeline/byte_budget.hpp"

#include <algorithm>

namespace holdfast::pipeline {

bool byte_budget::try_acquire(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    if (in_use_ != 0 && in_use_ + bytes > limit_) return false;
    in_use_ += bytes;
    peak_ = std::max(peak_, in_use_);
    return true;
}

void byte_budget::release(std::size_t bytes) noexcept {
    std::lock_guard lock(mutex_);
    in_use_ -= std::min(bytes, in_use_);
}

std::size_t byte_budget::in_use() const {
    std::lock_guard lock(mutex_);
    return in_use_;
}

std::size_t byte_budget::peak() const {
    std::lock_guard lock(mutex_);
    return peak_;
}

}  // namespace holdfast::pipeline
