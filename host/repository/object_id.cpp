#include "repository/object_id.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace holdfast::repository {

object_id::object_id(std::span<const std::byte, size> bytes) noexcept {
    std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

std::optional<object_id> object_id::from_hex(std::string_view hex) noexcept {
    if (hex.size() != hex_size) return std::nullopt;
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    object_id id;
    for (std::size_t i = 0; i < size; ++i) {
        const int high = nibble(hex[2 * i]);
        const int low = nibble(hex[2 * i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        id.bytes_[i] = static_cast<std::byte>(high << 4 | low);
    }
    return id;
}

object_id object_id::of_content(std::span<const std::byte> data) {
    return object_id(sha256::hash(data));
}

std::string object_id::hex() const { return to_hex(bytes_); }

bool object_id::is_zero() const noexcept {
    return std::all_of(bytes_.begin(), bytes_.end(), [](std::byte b) { return b == std::byte{0}; });
}

object_id resolve_id_prefix(std::string_view prefix, std::span<const object_id> candidates,
                            const id_kind& kind) {
    const std::string name(kind.name);
    const std::string hint = kind.list_command.empty()
                                 ? std::string()
                                 : " (list them with '" + std::string(kind.list_command) + "')";
    const bool is_hex = std::all_of(prefix.begin(), prefix.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (!is_hex || prefix.empty())
        throw usage_error("'" + std::string(prefix) + "' is not a " + name +
                          " id: ids are hex digits" + hint);
    if (prefix.size() < min_id_prefix)
        throw usage_error(name + " id prefix '" + std::string(prefix) +
                          "' is too short: give at least " + std::to_string(min_id_prefix) +
                          " hex digits");
    if (prefix.size() > object_id::hex_size)
        throw usage_error("'" + std::string(prefix) + "' is not a " + name + " id: longer than " +
                          std::to_string(object_id::hex_size) + " hex digits");

    std::string lower(prefix);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    std::vector<object_id> matches;
    for (const object_id& id : candidates)
        if (id.hex().starts_with(lower) &&
            std::find(matches.begin(), matches.end(), id) == matches.end())
            matches.push_back(id);

    if (matches.empty())
        throw usage_error("no " + name + " id starts with '" + std::string(prefix) + "'" + hint);
    if (matches.size() > 1) {
        // Enough digits to tell the matches apart, in the usual case.
        const std::size_t shown = std::max<std::size_t>(8, lower.size() + 4);
        std::string list;
        const std::size_t limit = 5;
        for (std::size_t i = 0; i < std::min(matches.size(), limit); ++i)
            list += (i ? ", " : "") + matches[i].hex().substr(0, shown) + "...";
        if (matches.size() > limit)
            list += " and " + std::to_string(matches.size() - limit) + " more";
        throw usage_error(name + " id prefix '" + std::string(prefix) +
                          "' is ambiguous: matches " + list + "; give more digits");
    }
    return matches.front();
}

}  // namespace holdfast::repository
