// How an object key maps onto the directory tree under the repository root.
#pragma once

#include <string_view>

namespace holdfast::local {

// Temporary files of a put in progress are named "<temp_prefix><random>" in
// the object's directory. Such names are never listed, and keys ending in one
// are refused, so a key can never collide with a write in progress.
inline constexpr std::string_view temp_prefix = ".tmp-";

inline bool is_temp_name(std::string_view name) { return name.starts_with(temp_prefix); }

// "a/b/c" -> directory "a/b", name "c"; "c" -> directory "", name "c".
struct key_parts {
    std::string_view directory;
    std::string_view name;
};
key_parts split_key(std::string_view key);

// Refuse (HF_ERR_INVALID_ARGUMENT) keys that passed the SDK's valid_key() but
// cannot be stored as a file here: a reserved temporary name, or a segment
// longer than the file system's name limit.
void check_storable(std::string_view key);

}  // namespace holdfast::local
