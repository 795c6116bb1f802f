// A stream's content list: the ids of its data blobs in order. Up to 1,000 ids sit in the
// snapshot itself; longer lists are stored as `list` blobs of up to 16,384 ids (32 bytes
// each), so the snapshot of a 1 TB stream stays small.
#pragma once

#include "repository/blob_store.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <cstddef>
#include <functional>
#include <vector>

namespace holdfast::repository {

inline constexpr std::size_t max_inline_content = 1000;
inline constexpr std::size_t ids_per_list_blob = 16384;

// Collects a stream's blob ids in order with flat memory: once the list outgrows what can
// be inlined, every 16,384 ids become a list blob. Not thread-safe (one per stream).
class content_list_builder {
public:
    explicit content_list_builder(blob_store& store) : store_(store) {}

    void append(const object_id& blob);
    std::uint64_t count() const noexcept { return count_; }

    // Sets entry.content or entry.content_lists, storing the last list blob if needed.
    void finish(stream_entry& entry);

private:
    void store_pending();

    blob_store& store_;
    std::vector<object_id> pending_;
    std::vector<object_id> lists_;
    std::uint64_t count_ = 0;
};

// Calls `each` with every blob id of the stream, in order, reading list blobs as needed.
// Throws corruption_error if a list blob is damaged or malformed.
void for_each_content_blob(const repo& repository, const stream_entry& stream,
                           const std::function<void(const object_id&)>& each);

// All of them at once, for short streams and tests.
std::vector<object_id> content_blobs(const repo& repository, const stream_entry& stream);

}  // namespace holdfast::repository
