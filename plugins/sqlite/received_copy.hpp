// The first half of restore and verify: write the "database" stream into a
// scratch file, then prove that the file is the database that was backed up
// (SHA-256 from the metadata when present, then PRAGMA integrity_check).
#pragma once

#include "scratch_file.hpp"

#include <holdfast/plugin/engine.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace holdfast::engines::sqlite {

struct received_copy {
    scratch_file file;  // written, fsynced and closed
    std::uint64_t bytes = 0;
    std::string sha256;
};

// Writes the snapshot's database stream into a new scratch file in `directory`.
received_copy receive_database(holdfast::plugin::restore_source& source, const std::filesystem::path& directory,
                               std::string_view prefix, const holdfast::plugin::host_services& host);

// The snapshot metadata as an object ({} when absent or unreadable).
nlohmann::json parse_metadata(std::string_view json);

// Fields of the metadata, nullopt when absent or of another type.
std::optional<std::string> metadata_string(const nlohmann::json& metadata, const char* key);
std::optional<std::map<std::string, std::int64_t>> metadata_row_counts(const nlohmann::json& metadata);

struct copy_facts {
    std::map<std::string, std::int64_t> row_counts;
    std::string schema_hash;
};

// Throws plugin::error(HF_ERR_CORRUPT) when the copy's SHA-256 differs from the
// metadata's, when SQLite cannot read it, or when integrity_check finds
// anything. Returns what the copy holds.
copy_facts check_copy(const received_copy& copy, const nlohmann::json& metadata,
                      const holdfast::plugin::host_services& host);

}  // namespace holdfast::engines::sqlite
