#include "snapshot_archive.hpp"

#include <algorithm>
#include <memory>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

archive_source range_of(const holdfast::plugin::restore_source& source, const std::string& stream, std::uint64_t begin,
                        std::optional<std::uint64_t> end) {
    // Shared: archive_source is a std::function, which must be copyable.
    auto handle = std::make_shared<holdfast::plugin::input_stream>(source.open(stream));
    if (begin != 0) handle->seek(begin);
    return [handle, stream, at = begin, end](std::span<std::byte> buffer) mutable -> std::size_t {
        if (end && at >= *end) return 0;
        const std::size_t n = handle->read(end ? buffer.first(std::min<std::uint64_t>(buffer.size(), *end - at)) : buffer);
        if (n == 0 && end)
            throw error(HF_ERR_CORRUPT, "stream '" + stream + "' ends at byte " + std::to_string(at) +
                                            ", before byte " + std::to_string(*end) +
                                            " where its metadata says a table's data ends; run 'holdfast check'");
        at += n;
        return n;
    };
}

}  // namespace

snapshot_archive::snapshot_archive(const holdfast::plugin::restore_source& source, const database_record& record)
    : stream_(source.open(record.stream)) {
    input_.read = [this](std::span<std::byte> buffer) { return stream_.read(buffer); };
    if (!stream_.can_seek()) return;
    input_.open_range = [source, stream = record.stream](std::uint64_t begin, std::optional<std::uint64_t> end) {
        return range_of(source, stream, begin, end);
    };
    for (const auto& table : record.tables)
        if (table.archive_block) input_.table_blocks.push_back(*table.archive_block);
}

}  // namespace holdfast::engines::postgresql
