// 32-byte identifiers of blobs and objects, their hex form, and resolution of the short
// prefixes users type.
#pragma once

#include "repository/crypto.hpp"

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace holdfast::repository {

class object_id {
public:
    static constexpr std::size_t size = 32;
    static constexpr std::size_t hex_size = 2 * size;

    object_id() noexcept = default;
    explicit object_id(const digest256& digest) noexcept : bytes_(digest) {}
    explicit object_id(std::span<const std::byte, size> bytes) noexcept;

    // Exactly 64 hex digits (lower or upper case); nullopt otherwise.
    static std::optional<object_id> from_hex(std::string_view hex) noexcept;
    // SHA-256 of `data`: the name of an object stored as these bytes.
    static object_id of_content(std::span<const std::byte> data);

    std::string hex() const;
    // The first 8 hex digits, as listings show ids.
    std::string short_hex() const { return hex().substr(0, 8); }

    std::span<const std::byte, size> bytes() const noexcept { return bytes_; }
    bool is_zero() const noexcept;

    // Ids are uniformly distributed (SHA-256 / HMAC outputs): their first 8 bytes are a
    // perfectly good hash.
    std::uint64_t hash() const noexcept {
        std::uint64_t h = 0;
        std::memcpy(&h, bytes_.data(), sizeof h);
        return h;
    }

    friend auto operator<=>(const object_id&, const object_id&) = default;
    friend bool operator==(const object_id&, const object_id&) = default;

private:
    std::array<std::byte, size> bytes_{};
};

struct object_id_hash {
    std::size_t operator()(const object_id& id) const noexcept {
        return static_cast<std::size_t>(id.hash());
    }
};

// What kind of id a prefix names, for messages: {"snapshot", "holdfast snapshots"}.
struct id_kind {
    std::string_view name;
    std::string_view list_command;
};

inline constexpr std::size_t min_id_prefix = 4;

// Resolves a full id or a unique prefix of at least 4 hex digits among `candidates`.
// Throws holdfast::usage_error (exit 2) naming the prefix: too short, not hex, unknown, or
// ambiguous (listing the ids it matches).
object_id resolve_id_prefix(std::string_view prefix, std::span<const object_id> candidates,
                            const id_kind& kind);

}  // namespace holdfast::repository
