// Base64 (RFC 4648, with padding) for binary fields in JSON objects: salts, wrapped keys.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::repository {

std::string base64_encode(std::span<const std::byte> bytes);
// nullopt on any character outside the alphabet or bad padding.
std::optional<std::vector<std::byte>> base64_decode(std::string_view text);

}  // namespace holdfast::repository
