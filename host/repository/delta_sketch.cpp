#include "repository/delta_sketch.hpp"

#include "repository/stream_content.hpp"

#include <algorithm>

namespace holdfast::repository {

namespace {

void put_u32_le(std::vector<std::byte>& out, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xff));
}

std::uint32_t get_u32_le(std::span<const std::byte> bytes) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value |= std::to_integer<std::uint32_t>(bytes[i]) << (8 * i);
    return value;
}

}  // namespace

void sketch_list_builder::store_pending() {
    lists_.push_back(store_.add(blob_type::sketch, pending_).id);
    pending_.clear();
}

void sketch_list_builder::append(const chunk_sketch& sketch) {
    for (const std::uint32_t key : sketch.keys) put_u32_le(pending_, key);
    if (pending_.size() == sketches_per_blob * sketch_bytes) store_pending();
}

void sketch_list_builder::finish(stream_entry& entry) {
    if (!pending_.empty()) store_pending();
    entry.sketch_lists = std::move(lists_);
    lists_ = {};
}

std::optional<delta_references> delta_references::load(const repo& repository, const stream_entry& stream) {
    if (stream.sketch_lists.empty()) return std::nullopt;
    delta_references refs;
    refs.chunks_ = content_blobs(repository, stream);
    std::vector<chunk_sketch> sketches;  // in content order, like chunks_
    for (const object_id& list : stream.sketch_lists) {
        const auto bytes = repository.read_blob(list, blob_type::sketch);
        if (bytes.size() % sketch_bytes != 0) return std::nullopt;
        for (std::size_t at = 0; at < bytes.size(); at += sketch_bytes) {
            chunk_sketch sketch;
            for (std::size_t k = 0; k < chunk_sketch::keys_per_sketch; ++k)
                sketch.keys[k] = get_u32_le(std::span(bytes).subspan(at + 4 * k));
            sketches.push_back(sketch);
        }
    }
    if (sketches.size() != refs.chunks_.size()) return std::nullopt;
    // A key found in two chunks points nowhere: repeated content (a row layout, a common
    // value) would otherwise pull every chunk towards one place.
    constexpr std::uint32_t ambiguous = 0xffffffff;
    for (std::uint32_t i = 0; i < refs.chunks_.size(); ++i) {
        for (const std::uint32_t key : sketches[i].keys) {
            if (key == chunk_sketch::no_key) continue;
            auto [it, added] = refs.by_key_.emplace(key, i);
            if (!added && it->second != i) it->second = ambiguous;
        }
    }
    std::erase_if(refs.by_key_, [](const auto& entry) { return entry.second == ambiguous; });
    return refs;
}

std::vector<object_id> delta_references::bases_for(const chunk_sketch& sketch) const {
    std::vector<std::uint32_t> positions;
    for (const std::uint32_t key : sketch.keys) {
        if (key == chunk_sketch::no_key) continue;
        if (const auto it = by_key_.find(key); it != by_key_.end()) positions.push_back(it->second);
    }
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    std::vector<object_id> bases;
    for (const std::uint32_t at : positions)
        if (std::find(bases.begin(), bases.end(), chunks_[at]) == bases.end()) bases.push_back(chunks_[at]);
    return bases;
}

}  // namespace holdfast::repository
