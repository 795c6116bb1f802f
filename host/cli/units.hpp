// How sizes and times are shown to people and read from the command line.
#pragma once

#include "repository/utc_time.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace holdfast::cli {

// Binary units with three significant digits: "512 B", "1.50 KiB", "23.4 MiB", "117 GiB".
std::string human_bytes(std::uint64_t bytes);

// A byte count as typed: "65536", "64K", "64KiB", "16M", "1G" (binary multiples; "B"
// and a trailing "iB" are optional). Throws usage_error naming `option` otherwise.
std::uint64_t parse_byte_size(std::string_view text, std::string_view option);

// Local time without fractions, for tables: "2026-11-21 13:00:05".
std::string local_time(repository::utc_time time);

// "3.20x"; "-" when the denominator is zero.
std::string ratio(std::uint64_t numerator, std::uint64_t denominator);

}  // namespace holdfast::cli
