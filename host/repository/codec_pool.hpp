// Per-thread codecs without thread_local: a worker borrows a codec for one operation and
// gives it back. The pool grows to the number of threads that ever used it at once, so
// each codec's contexts (and zstd tables) are set up once and reused.
#pragma once

#include "repository/blob_codec.hpp"
#include "repository/master_key.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace holdfast::repository {

class codec_pool {
public:
    // `key` (null when unencrypted) must outlive the pool.
    codec_pool(const master_key* key, int zstd_level) : key_(key), level_(zstd_level) {}

    class lease {
    public:
        lease(codec_pool& pool, std::unique_ptr<blob_codec> codec)
            : pool_(&pool), codec_(std::move(codec)) {}
        lease(lease&&) noexcept = default;
        lease& operator=(lease&&) noexcept = default;
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        ~lease() {
            if (codec_) pool_->give_back(std::move(codec_));
        }
        blob_codec& operator*() const noexcept { return *codec_; }
        blob_codec* operator->() const noexcept { return codec_.get(); }

    private:
        codec_pool* pool_;
        std::unique_ptr<blob_codec> codec_;
    };

    lease borrow() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                auto codec = std::move(idle_.back());
                idle_.pop_back();
                return lease(*this, std::move(codec));
            }
        }
        // Built outside the lock: creating contexts takes a while.
        return lease(*this, std::make_unique<blob_codec>(key_, level_));
    }

private:
    void give_back(std::unique_ptr<blob_codec> codec) noexcept {
        try {
            std::lock_guard lock(mutex_);
            idle_.push_back(std::move(codec));
        } catch (...) {
            // Out of memory growing the list: dropping the codec is harmless.
        }
    }

    const master_key* key_;
    int level_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<blob_codec>> idle_;
};

}  // namespace holdfast::repository
