// What a pg_dump custom-format archive holds of each table, read as the archive streams by
// (custom_archive.hpp), at no extra cost to the server:
//  - its rows, counted in its COPY data (one line per row), so a restore drill can demand
//    that every restored table has exactly this many;
//  - where its data block lies in the archive, so a parallel restore can read that block on
//    its own, largest tables first (parallel_restore.hpp).
#pragma once

#include "custom_archive.hpp"
#include "metadata.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace holdfast::engines::postgresql {

class archive_tables {
public:
    // Pass to scan_custom_archive; valid as long as this object.
    archive_scan_events events();

    // After a scan that understood the archive: false when there is nothing to count from
    // (pg_dump compressed the data).
    bool complete() const { return toc_seen_ && !compressed_; }

    // Sets each table's rows (0 when the archive holds no data of it) and its data block.
    void assign(std::vector<table_record>& tables) const;

private:
    struct table_lines {
        std::string schema, name;
        std::uint64_t lines = 0;
        std::string tail;  // the payload's last bytes, to recognise pg_dump's end marker
        std::optional<archive_block_record> block;
    };
    void count(int dump_id, std::span<const std::byte> bytes);

    bool toc_seen_ = false, compressed_ = false;
    std::map<int, table_lines> by_dump_id_;
    // The table being counted: pg_dump writes a chunk per row, so it is looked up once.
    int current_id_ = 0;
    table_lines* current_ = nullptr;
};

}  // namespace holdfast::engines::postgresql
