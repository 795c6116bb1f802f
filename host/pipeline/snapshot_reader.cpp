#include "pipeline/snapshot_reader.hpp"

#include "pipeline/interruption.hpp"
#include "progress/reporter.hpp"
#include "repository/errors.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

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
      cursor_(std::make_unique<content_cursor>(repo_, stream_)),
      hash_(stream_.checksum.algorithm) {}

snapshot_stream_reader::~snapshot_stream_reader() { drop_ahead(); }

void snapshot_stream_reader::fail(const std::string& message) {
    if (failure_.empty()) {
        failure_ = message;
        drop_ahead();
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

void snapshot_stream_reader::seek(std::uint64_t offset) {
    if (!failure_.empty()) throw client::plugin_error(HF_ERR_CORRUPT, failure_);
    if (offset > stream_.size)
        throw client::plugin_error(HF_ERR_INVALID_ARGUMENT, "cannot seek to byte " + std::to_string(offset) +
                                                                " of stream '" + stream_.name + "': it has " +
                                                                std::to_string(stream_.size) + " bytes");
    throw_if_cancelled();
    const std::uint64_t start = fetched_ - current_.size();  // where current_ begins in the stream
    if (offset >= start && offset <= fetched_) {
        // In the blob in hand, or just past it (the next read takes the next blob).
        offset_ = static_cast<std::size_t>(offset - start);
        skip_ = 0;
        return;
    }
    try {
        if (offset < start) restart();
        skip_to(offset);
    } catch (const repository::repository_error& e) {
        // A damaged list blob, or a blob the index does not know: as for read.
        fail(e.what());
    }
}

void snapshot_stream_reader::restart() {
    drop_ahead();
    cursor_ = std::make_unique<content_cursor>(repo_, stream_);
    listed_all_ = false;
    current_ = {};
    offset_ = 0;
    skip_ = 0;
    hash_ = repository::stream_hasher(stream_.checksum.algorithm);
    hashing_ = true;
    fetched_ = 0;
    verified_ = false;
}

void snapshot_stream_reader::skip_to(std::uint64_t offset) {
    current_ = {};
    offset_ = 0;
    // Pass whole blobs by their indexed length, first those already fetched, then those of the
    // content list, up to the one that holds `offset`. A passed blob is never hashed.
    while (!ahead_.empty()) {
        const std::uint64_t length = repo_.plain_length(ahead_.front().id, repository::blob_type::data);
        if (offset < fetched_ + length) break;
        fetched_ += length;
        hashing_ = false;
        ahead_.pop_front();
    }
    while (ahead_.empty() && !listed_all_) {
        const auto id = cursor_->next();
        if (!id) {
            listed_all_ = true;
            break;
        }
        const std::uint64_t length = repo_.plain_length(*id, repository::blob_type::data);
        if (offset < fetched_ + length) {
            fetch(*id);
        } else {
            fetched_ += length;
            hashing_ = false;
        }
    }
    // Past the end of the content (offset == size, or content shorter than recorded): the next
    // read finds no blob, and verify_end judges the size.
    skip_ = static_cast<std::size_t>(offset - fetched_);
    fill_window();
}

void snapshot_stream_reader::drop_ahead() noexcept {
    dropped_->store(true);
    ahead_.clear();  // a future of the pool does not wait for its task
}

void snapshot_stream_reader::fetch(const repository::object_id& id) {
    if (dropped_->load()) dropped_ = std::make_shared<std::atomic<bool>>(false);  // the old flag stays set
    ahead_.push_back({id, pool_.submit([&repo = repo_, id, dropped = dropped_] {
                          // Dropped by a seek or a closed reader: nobody will look at the bytes.
                          if (dropped->load()) return std::vector<std::byte>();
                          // read_blob authenticates, decompresses and checks the id: never wrong bytes.
                          return repo.read_blob(id, repository::blob_type::data);
                      })});
}

void snapshot_stream_reader::fill_window() {
    while (!listed_all_ && ahead_.size() < window_) {
        const auto id = cursor_->next();
        if (!id) {
            listed_all_ = true;
            break;
        }
        fetch(*id);
    }
}

bool snapshot_stream_reader::next_blob() {
    fill_window();
    if (ahead_.empty()) {
        verify_end();  // an empty stream has nothing to hold back, but its hash counts too
        return false;
    }
    const repository::object_id id = ahead_.front().id;
    current_ = ahead_.front().plain.get();
    ahead_.pop_front();
    offset_ = std::exchange(skip_, 0);
    fetched_ += current_.size();
    if (fetched_ > stream_.size)
        throw repository::corruption_error("stream '" + stream_.name + "' has more content than its recorded " +
                                           std::to_string(stream_.size) + " bytes; run 'holdfast check'");
    // read_blob checked the length against the index entry a seek went by; this keeps a
    // disagreement from ever indexing past the blob.
    if (offset_ != 0 && offset_ >= current_.size())
        throw repository::corruption_error("blob " + id.hex() + " of stream '" + stream_.name +
                                           "' is shorter than its index entry; run 'holdfast check'");
    if (hashing_) hash_.update(current_);
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
    // A handle that skipped blobs has no hash of the whole stream to compare.
    if (hashing_) {
        const repository::stream_checksum actual = hash_.finish();
        if (actual != stream_.checksum)
            throw repository::corruption_error("stream '" + stream_.name + "' does not match its recorded " +
                                               std::string(actual.key()) + " checksum (" + stream_.checksum.hex +
                                               ", read " + actual.hex + "); run 'holdfast check --read-data'");
    }
    verified_ = true;
}

}  // namespace holdfast::pipeline
