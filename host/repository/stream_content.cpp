#include "repository/stream_content.hpp"

#include "repository/errors.hpp"

namespace holdfast::repository {

void content_list_builder::store_pending() {
    std::vector<std::byte> bytes;
    bytes.reserve(pending_.size() * object_id::size);
    for (const object_id& id : pending_) bytes.insert(bytes.end(), id.bytes().begin(), id.bytes().end());
    lists_.push_back(store_.add(blob_type::list, bytes).id);
    pending_.clear();
}

void content_list_builder::append(const object_id& blob) {
    pending_.push_back(blob);
    ++count_;
    if (pending_.size() == ids_per_list_blob) store_pending();
}

void content_list_builder::finish(stream_entry& entry) {
    entry.content.clear();
    entry.content_lists.clear();
    if (lists_.empty() && pending_.size() <= max_inline_content) {
        entry.content = std::move(pending_);
    } else {
        if (!pending_.empty()) store_pending();
        entry.content_lists = std::move(lists_);
    }
    pending_ = {};
    lists_ = {};
    count_ = 0;
}

void for_each_content_blob(const repo& repository, const stream_entry& stream,
                           const std::function<void(const object_id&)>& each) {
    if (stream.content_lists.empty()) {
        for (const object_id& id : stream.content) each(id);
        return;
    }
    for (const object_id& list : stream.content_lists) {
        const auto bytes = repository.read_blob(list, blob_type::list);
        if (bytes.size() % object_id::size != 0 || bytes.empty())
            throw corruption_error("list blob " + list.hex() + " of stream '" + stream.name +
                                   "' is malformed: " + std::to_string(bytes.size()) +
                                   " bytes is not a whole number of ids; run 'holdfast check'");
        for (std::size_t at = 0; at < bytes.size(); at += object_id::size)
            each(object_id(std::span(bytes).subspan(at).first<object_id::size>()));
    }
}

std::vector<object_id> content_blobs(const repo& repository, const stream_entry& stream) {
    std::vector<object_id> ids;
    for_each_content_blob(repository, stream, [&](const object_id& id) { ids.push_back(id); });
    return ids;
}

}  // namespace holdfast::repository
