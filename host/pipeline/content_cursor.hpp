// A stream's blob ids in order, one at a time. Unlike for_each_content_blob (which pushes
// every id to a callback), a cursor is pulled by the reader, so a restore can run ahead a
// few blobs without holding the whole content list: list blobs (16,384 ids each) are read
// one at a time, as the cursor reaches them.
#pragma once

#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace holdfast::pipeline {

class content_cursor {
public:
    // `repository` and `stream` must outlive the cursor.
    content_cursor(const repository::repo& repository, const repository::stream_entry& stream);

    // The next blob id, nullopt at the end. Throws corruption_error for a damaged or
    // malformed list blob.
    std::optional<repository::object_id> next();

private:
    const repository::repo& repo_;
    const repository::stream_entry& stream_;
    std::size_t next_list_ = 0;               // in stream_.content_lists
    std::vector<repository::object_id> ids_;  // the current list blob's ids (or none)
    std::size_t next_id_ = 0;                 // in ids_, or in stream_.content
};

}  // namespace holdfast::pipeline
