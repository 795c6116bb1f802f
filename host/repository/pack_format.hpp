// The binary records shared by pack headers and index objects, and the pack trailer
// (docs/repository-format.md, "Packs").
#pragma once

#include "repository/compression.hpp"
#include "repository/object_id.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::repository {

// data: stream content; list: a piece of a long content list; sketch: the similarity sketches
// of a stream's chunks (delta_sketch.hpp), which the next backup looks its bases up in.
enum class blob_type : std::uint8_t { data = 1, list = 2, sketch = 3 };

std::string_view to_string(blob_type type);

// Where one blob lives inside its pack and how it is stored.
struct blob_record {
    blob_type type = blob_type::data;
    blob_encoding compression = blob_encoding::raw;
    std::uint32_t offset = 0;
    std::uint32_t stored_length = 0;
    std::uint32_t plain_length = 0;
    object_id id;

    friend bool operator==(const blob_record&, const blob_record&) = default;
};

inline constexpr std::size_t blob_record_size = 48;

void append_record(std::vector<std::byte>& out, const blob_record& record);
// Throws corruption_error naming `object` if the type, compression or reserved bytes are
// not valid.
blob_record parse_record(std::span<const std::byte, blob_record_size> bytes,
                         std::string_view object);
// `bytes` must hold whole records; each must lie inside the first `data_size` bytes of
// its pack. Throws corruption_error naming `object` otherwise.
std::vector<blob_record> parse_records(std::span<const std::byte> bytes, std::uint64_t data_size,
                                       std::string_view object);

// [stored blobs][sealed header][u32 LE sealed header length]["HFPACK01"]
inline constexpr std::array<char, 8> pack_magic{'H', 'F', 'P', 'A', 'C', 'K', '0', '1'};
inline constexpr std::size_t pack_trailer_size = 4 + pack_magic.size();

// Little-endian helpers for the binary formats.
void put_u32(std::vector<std::byte>& out, std::uint32_t value);
std::uint32_t get_u32(std::span<const std::byte> bytes, std::size_t at);

}  // namespace holdfast::repository
