// The `config` object: what a repository is and the parameters fixed at init.
#pragma once

#include "repository/chunker.hpp"
#include "repository/object_id.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace holdfast::repository {

enum class encryption_mode { aes_256_gcm, none };

std::string_view to_string(encryption_mode mode);

// What `holdfast init` may choose. Defaults were chosen by measurement (see
// docs/repository-format.md).
struct repository_parameters {
    std::size_t chunk_min = 64 * 1024;
    std::size_t chunk_avg = 256 * 1024;
    std::size_t chunk_max = 2 * 1024 * 1024;
    int zstd_level = 1;
    std::uint64_t pack_size = 16 * 1024 * 1024;
    // Unencrypted only when asked for explicitly.
    encryption_mode encryption = encryption_mode::aes_256_gcm;

    // Throws holdfast::usage_error naming the parameter that is out of range.
    void validate() const;
};

// Packs address blobs with 32-bit offsets; these bounds keep every pack well inside that.
inline constexpr std::uint64_t min_pack_size = 4 * 1024;
inline constexpr std::uint64_t max_pack_size = std::uint64_t{1} << 30;

struct repository_config {
    static constexpr std::string_view format_name = "holdfast-repository";
    static constexpr int supported_version = 1;

    int version = supported_version;
    object_id id;
    std::string created;
    repository_parameters parameters;

    // A fresh config with a random id, created now.
    static repository_config create(const repository_parameters& parameters);

    std::string to_json() const;
    // Validates everything a reader relies on. `location` names the repository in
    // messages: "... is not a holdfast repository", "repository format version 2 is newer
    // than this holdfast supports (1); upgrade holdfast".
    static repository_config parse(std::string_view json, std::string_view location);

    // The chunker for this repository with the given gear seed (from the master key, or
    // the default for an unencrypted repository).
    chunker_params chunker(std::uint64_t gear_seed) const;
};

}  // namespace holdfast::repository
