// The framing of a pg_dump custom-format archive, read as it streams past: its header, its
// table of contents, and where each data block starts and ends. Nothing is decoded beyond
// that (SQL and row data pass through untouched); it lets a parallel restore hand each
// table's data to pg_restore as soon as the block has arrived, instead of waiting for the
// whole archive. The layout is pg_dump's (pg_backup_archiver.c, pg_backup_custom.c),
// versions 1.12 to 1.16 (PostgreSQL 9.5 to 18).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace holdfast::engines::postgresql {

// pg_dump's teSection.
enum class archive_section : int { none = 1, pre_data = 2, data = 3, post_data = 4 };

struct archive_entry {
    int dump_id = 0;
    bool has_data = false;  // pg_dump wrote a data block for it (hadDumper)
    std::string desc;       // "TABLE", "TABLE DATA", "SEQUENCE SET", "BLOBS", ...
    std::string tag;
    std::string schema;
    archive_section section = archive_section::none;
    std::vector<int> dependencies;  // dump ids of the entries this one needs first
};

struct archive_toc {
    int version_minor = 0;         // 1.<minor>
    bool compressed = false;       // the data blocks' payload is compressed
    std::uint64_t end_offset = 0;  // bytes of header and TOC
    std::vector<archive_entry> entries;
};

// One data block, [begin, end) in the archive: the block header, the length-prefixed chunks
// and the terminating zero length.
struct archive_block {
    int dump_id = 0;
    bool large_objects = false;  // a BLOBS block
    std::uint64_t begin = 0, end = 0;
};

struct archive_scan_events {
    std::function<void(const archive_toc&)> toc;            // once, when the TOC has been read
    std::function<void(const archive_block&)> block_start;  // after each block's header (end = 0)
    std::function<void(const archive_block&)> block;        // after the last byte of each block
    // The payload of a data block, in pieces as they arrive (not for BLOBS blocks).
    std::function<void(int dump_id, std::span<const std::byte>)> data;
};

// Fills the buffer with the next bytes; 0 at the end.
using archive_source = std::function<std::size_t(std::span<std::byte>)>;
// Receives every byte read from the source, unchanged and in order.
using archive_sink = std::function<void(std::span<const std::byte>)>;

// Reads the whole source, passing every byte to `sink` and reporting the framing to
// `events`. Returns "" when the archive was read to its end as a custom-format archive;
// otherwise what was not understood (the rest still went to `sink`, so a caller can fall
// back to treating the bytes as opaque). Errors of the source or the sink propagate.
std::string scan_custom_archive(const archive_source& source, const archive_sink& sink,
                                const archive_scan_events& events);

}  // namespace holdfast::engines::postgresql
