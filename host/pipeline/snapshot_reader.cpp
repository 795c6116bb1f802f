#include "pipeline/snapshot_reader.hpp"

#include "pipeline/interruption.hpp"
#include "progress/reporter.hpp"
#include "repository/errors.hpp"

#include <algorithm>
#include <cstring>

namespace holdfast::pipeline {

snapshot_stream_reader::snapshot_stream_reader(const repository::repo& repository, repository::stream_entry stream,
                                               task_pool& pool, std::size_t window, progress::reporter* progress,
                                               std::function<void(const std::string&)> on_corruption)
    : repo_(repository),
      stream_(std::move(stream)),
      pool_(pool),
      window_(std::max<std::size_t>(window, 1)),
      progress_(progress),
      on_corruption_(std::move(on_corruption)),
      cursor_(std::make_unique<content_cursor>(repo_, stream_)) {}

void snapshot_stream_reader::fail(const std::string& message) {
    if (failure_.empty()) {
        failure_ = message;
        ahead_.clear();
        current_ = {};
        offset_ = 0;
        if (on_corruption_) on_corruption_(message);
    }
    throw client::plugin_error(HF_ERR_CORRUPT, failure_);
}

std::size_t snapshot_stream_reader::read(std::span<std::byte> buffer) {
    if (!failure_.empty()) throw client::plugin_error(HF_ERR_CORRUPT, failure_);
    throw_if_cancelled();
    try {
        while (offset_ == current_.size()) {
            if (!next_blob()) return 0;
        }
    } catch (const repository::repository_error& e) {
        // Damaged or missing blob, malformed list, size or hash mismatch.
        fail(e.what());
    }
    const std::size_t n = std::min(buffer.size(), current_.size() - offset_);
    std::memcpy(buffer.data(), current_.data() + offset_, n);
    offset_ += n;
    if (progress_ != nullptr) progress_->advance(n);
    return n;
}

void snapshot_stream_reader::fill_window() {
    while (!listed_all_ && ahead_.size() < window_) {
        const auto id = cursor_->next();
        if (!id) {
            listed_all_ = true;
            break;
        }
        ahead_.push_back(pool_.submit([&repo = repo_, id = *id] {
            // read_blob authenticates, decompresses and checks the id: never wrong bytes.
            return repo.read_blob(id, repository::blob_type::data);
        }));
    }
}

bool snapshot_stream_reader::next_blob() {
    fill_window();
    if (ahead_.empty()) {
        verify_end();  // an empty stream has nothing to hold back, but its hash counts too
        return false;
    }
    current_ = ahead_.front().get();
    ahead_.pop_front();
    offset_ = 0;
    fetched_ += current_.size();
    if (fetched_ > stream_.size)
        throw repository::corruption_error("stream '" + stream_.name + "' has more content than its recorded " +
                                           std::to_string(stream_.size) + " bytes; run 'holdfast check'");
    hash_.update(current_);
    fill_window();
    // The last blob: check the whole stream before handing over any of its bytes.
    if (ahead_.empty()) verify_end();
    return true;
}

void snapshot_stream_reader::verify_end() {
    if (verified_) return;
    if (fetched_ != stream_.size)
        throw repository::corruption_error("stream '" + stream_.name + "' has " + std::to_string(fetched_) +
                                           " bytes of content, its snapshot records " +
                                           std::to_string(stream_.size) + "; run 'holdfast check'");
    const std::string actual = repository::to_hex(hash_.finish());
    if (actual != stream_.sha256)
        throw repository::corruption_error("stream '" + stream_.name + "' does not match its recorded SHA-256 (" +
                                           stream_.sha256 + ", read " + actual +
                                           "); run 'holdfast check --read-data'");
    verified_ = true;
}

}  // namespace holdfast::pipeline
