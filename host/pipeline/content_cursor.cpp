#include "pipeline/content_cursor.hpp"

#include "repository/errors.hpp"

namespace holdfast::pipeline {

content_cursor::content_cursor(const repository::repo& repository, const repository::stream_entry& stream)
    : repo_(repository), stream_(stream) {}

std::optional<repository::object_id> content_cursor::next() {
    if (stream_.content_lists.empty()) {
        if (next_id_ == stream_.content.size()) return std::nullopt;
        return stream_.content[next_id_++];
    }
    while (next_id_ == ids_.size()) {
        if (next_list_ == stream_.content_lists.size()) return std::nullopt;
        const repository::object_id& list = stream_.content_lists[next_list_++];
        const auto bytes = repo_.read_blob(list, repository::blob_type::list);
        // The same rule as for_each_content_blob (stream_content.cpp).
        if (bytes.empty() || bytes.size() % repository::object_id::size != 0)
            throw repository::corruption_error("list blob " + list.hex() + " of stream '" + stream_.name +
                                               "' is malformed: " + std::to_string(bytes.size()) +
                                               " bytes is not a whole number of ids; run 'holdfast check'");
        ids_.clear();
        ids_.reserve(bytes.size() / repository::object_id::size);
        for (std::size_t at = 0; at < bytes.size(); at += repository::object_id::size)
            ids_.emplace_back(std::span(bytes).subspan(at).first<repository::object_id::size>());
        next_id_ = 0;
    }
    return ids_[next_id_++];
}

}  // namespace holdfast::pipeline
