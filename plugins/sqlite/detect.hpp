// Detect: find SQLite database files under a directory, reading their headers
// only (SQLite never opens them, so nothing is locked, created or recovered).
#pragma once

#include <holdfast/plugin/engine.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>

namespace holdfast::engines::sqlite {

struct header_facts {
    std::uint32_t page_size = 0;
    std::uint64_t page_count = 0;
};

// The first 100 bytes of a file: its facts when they start with
// "SQLite format 3\0" and name a valid page size, nullopt otherwise.
std::optional<header_facts> read_header(std::span<const std::byte> first_bytes, std::uint64_t file_size);

// Walks `root` recursively without following symbolic links; one JSON object
// per database: {"engine": "sqlite", "path", "size", "page_size", "page_count"}.
void detect_databases(const std::filesystem::path& root, const holdfast::plugin::host_services& host,
                      const holdfast::plugin::detect_callback& found);

}  // namespace holdfast::engines::sqlite
