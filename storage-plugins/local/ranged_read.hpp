// Reading a byte range of an open file in bounded pieces.
#pragma once

#include "file_descriptor.hpp"

#include <holdfast/plugin/storage.hpp>

#include <cstdint>
#include <string_view>

namespace holdfast::local {

// Bytes per piece handed to the host: memory stays flat whatever the object size.
inline constexpr std::size_t read_chunk = std::size_t{1} << 20;

// Deliver bytes [offset, offset + length) of the regular file `file` (of
// `size` bytes) through `out`, in order, in pieces of at most read_chunk
// bytes. The range is cut at the end of the file; an offset past the end is
// HF_ERR_INVALID_ARGUMENT. `key` and `path` only name the object in messages.
void read_range(const file_descriptor& file, std::uint64_t size, std::uint64_t offset, std::uint64_t length,
                std::string_view key, std::string_view path, const plugin::bytes_callback& out,
                const plugin::host_services& host);

}  // namespace holdfast::local
