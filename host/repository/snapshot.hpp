// A snapshot document: one backup of one source (docs/repository-format.md, "Snapshots").
#pragma once

#include "repository/object_id.hpp"
#include "repository/stream_checksum.hpp"
#include "repository/utc_time.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::repository {

struct stream_entry {
    std::string name;
    std::uint64_t size = 0;
    stream_checksum checksum;  // of the plaintext stream
    // Exactly one of these is used: the blob ids themselves (up to max_inline_content), or
    // the ids of list blobs holding them (stream_content.hpp).
    std::vector<object_id> content;
    std::vector<object_id> content_lists;
    // Sketch blobs: one sketch per chunk, in content order (delta_sketch.hpp). Optional: a
    // stream without them gives the next backup no bases to store deltas against.
    std::vector<object_id> sketch_lists;
};

struct snapshot_summary {
    std::uint64_t duration_ms = 0;
    std::uint64_t bytes_new = 0;
    std::uint64_t blobs_new = 0;
    std::uint64_t bytes_stored_new = 0;
};

struct snapshot {
    static constexpr int supported_version = 1;

    utc_time time{};
    std::string host;
    std::string user;
    std::string source;
    std::string engine;
    std::string engine_version;
    nlohmann::json metadata = nlohmann::json::object();
    std::vector<std::string> tags;
    std::optional<object_id> parent;
    std::vector<stream_entry> streams;
    snapshot_summary summary;

    std::string to_json() const;
    // Throws corruption_error naming `object` if the document is malformed, and
    // repository_error if its version is newer than this holdfast supports.
    static snapshot parse(std::string_view json, std::string_view object);
};

}  // namespace holdfast::repository
