#include "pipeline/backup_sink.hpp"

#include "pipeline/chunked_stream.hpp"
#include "progress/reporter.hpp"
#include "repository/errors.hpp"

#include <algorithm>

namespace holdfast::pipeline {

namespace {
constexpr std::chrono::seconds checkpoint_interval{1};
}

backup_sink::backup_sink(repository::blob_store& store, blob_writer& writer, const repository::chunker_params& chunks,
                         progress::reporter* progress, std::function<void()> checkpoint,
                         std::map<std::string, std::shared_ptr<const repository::delta_references>> references)
    : store_(store),
      writer_(writer),
      chunks_(chunks),
      progress_(progress),
      checkpoint_(std::move(checkpoint)),
      references_(std::move(references)),
      next_checkpoint_(std::chrono::steady_clock::now() + checkpoint_interval) {}

std::unique_ptr<client::stream_writer> backup_sink::begin_stream(const std::string& name) {
    std::size_t slot = 0;
    {
        std::lock_guard lock(mutex_);
        if (std::find(names_.begin(), names_.end(), name) != names_.end())
            throw client::plugin_error(HF_ERR_INVALID_ARGUMENT,
                                       "the backup already has a stream named '" + name + "'");
        slot = names_.size();
        names_.push_back(name);
        done_.emplace_back();
    }
    const auto references = references_.find(name);
    return std::make_unique<chunked_stream>(*this, writer_, store_, chunks_, slot, name,
                                            references == references_.end() ? nullptr : references->second);
}

void backup_sink::set_metadata(const std::string& json) {
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        throw client::plugin_error(HF_ERR_INVALID_ARGUMENT, "engine metadata must be a JSON object");
    std::lock_guard lock(mutex_);
    metadata_ = std::move(parsed);
}

nlohmann::json backup_sink::metadata() const {
    std::lock_guard lock(mutex_);
    return metadata_;
}

void backup_sink::stream_done(std::size_t slot, repository::stream_entry entry) {
    std::lock_guard lock(mutex_);
    done_.at(slot) = std::move(entry);
}

void backup_sink::stream_abandoned(std::size_t slot) noexcept {
    try {
        std::lock_guard lock(mutex_);
        abandoned_.push_back(names_.at(slot));
    } catch (...) {
        // Only allocation can fail here; the stream is still missing from done_, which
        // fails the backup all the same.
    }
}

std::vector<repository::stream_entry> backup_sink::take_streams() {
    std::lock_guard lock(mutex_);
    // engine.h: an abandoned stream means the backup failed, even if the engine says not.
    if (!abandoned_.empty())
        throw repository::repository_error("the engine abandoned stream '" + abandoned_.front() +
                                           "'; no snapshot was written");
    std::vector<repository::stream_entry> streams;
    for (std::size_t slot = 0; slot < done_.size(); ++slot) {
        if (!done_[slot])
            throw repository::repository_error("the engine never finished stream '" + names_[slot] +
                                               "'; no snapshot was written");
        streams.push_back(std::move(*done_[slot]));
    }
    done_.clear();
    names_.clear();
    return streams;
}

void backup_sink::bytes_written(std::size_t count) {
    if (progress_ != nullptr) progress_->advance(count);
    if (!checkpoint_) return;
    const auto now = std::chrono::steady_clock::now();
    // One thread checks at a time; the others carry on writing.
    std::unique_lock lock(checkpoint_mutex_, std::try_to_lock);
    if (!lock.owns_lock() || now < next_checkpoint_) return;
    next_checkpoint_ = now + checkpoint_interval;
    checkpoint_();
}

}  // namespace holdfast::pipeline
