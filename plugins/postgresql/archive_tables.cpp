#include "archive_tables.hpp"

#include <algorithm>
#include <cstring>

namespace holdfast::engines::postgresql {

namespace {

// pg_dump ends a table's COPY data with the end-of-data line and two empty lines.
constexpr std::string_view end_marker = "\\.\n\n\n";
constexpr std::uint64_t end_marker_lines = 3;
static_assert(std::count(end_marker.begin(), end_marker.end(), '\n') == end_marker_lines);

}  // namespace

archive_scan_events archive_tables::events() {
    archive_scan_events e;
    e.toc = [this](const archive_toc& toc) {
        toc_seen_ = true;
        compressed_ = toc.compressed;
        for (const auto& entry : toc.entries)
            if (entry.has_data && entry.desc == "TABLE DATA")
                by_dump_id_[entry.dump_id] = table_lines{entry.schema, entry.tag, 0, {}, std::nullopt};
    };
    e.data = [this](int dump_id, std::span<const std::byte> bytes) { count(dump_id, bytes); };
    e.block = [this](const archive_block& block) {
        if (const auto found = by_dump_id_.find(block.dump_id); found != by_dump_id_.end())
            found->second.block = archive_block_record{block.dump_id, block.begin, block.end - block.begin};
    };
    return e;
}

void archive_tables::count(int dump_id, std::span<const std::byte> bytes) {
    if (dump_id != current_id_) {
        const auto found = by_dump_id_.find(dump_id);
        current_ = found == by_dump_id_.end() ? nullptr : &found->second;
        current_id_ = dump_id;
    }
    if (current_ == nullptr || bytes.empty()) return;
    // memchr: pieces are usually one row each, and it is vectorised where a loop is not.
    const auto* text = reinterpret_cast<const char*>(bytes.data());
    const char* const end = text + bytes.size();
    for (const char* p = text; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
         ++p)
        ++current_->lines;
    auto& tail = current_->tail;
    if (bytes.size() >= end_marker.size()) {
        tail.assign(end - end_marker.size(), end_marker.size());
    } else {
        tail.append(text, bytes.size());
        if (tail.size() > end_marker.size()) tail.erase(0, tail.size() - end_marker.size());
    }
}

void archive_tables::assign(std::vector<table_record>& tables) const {
    std::map<std::pair<std::string, std::string>, const table_lines*> by_name;
    for (const auto& [id, t] : by_dump_id_) by_name[{t.schema, t.name}] = &t;
    for (auto& table : tables) {
        const auto found = by_name.find({table.schema, table.name});
        if (found == by_name.end()) {
            table.rows = 0;
            table.archive_block.reset();
            continue;
        }
        const table_lines& t = *found->second;
        table.rows = t.lines - (t.tail == end_marker ? end_marker_lines : 0);
        table.archive_block = t.block;
    }
}

}  // namespace holdfast::engines::postgresql
