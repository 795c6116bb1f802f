#include "repository/object_names.hpp"

namespace holdfast::repository::names {

std::optional<object_id> id_under(std::string_view prefix, std::string_view key) {
    if (!key.starts_with(prefix)) return std::nullopt;
    key.remove_prefix(prefix.size());
    auto id = object_id::from_hex(key);
    // Only the canonical (lower-case) spelling is ours: a second spelling of one id would
    // make two objects of one name.
    if (!id || id->hex() != key) return std::nullopt;
    return id;
}

std::optional<object_id> pack_id(std::string_view key) {
    if (!key.starts_with(data_prefix)) return std::nullopt;
    key.remove_prefix(data_prefix.size());
    if (key.size() != 3 + object_id::hex_size || key[2] != '/') return std::nullopt;
    auto id = id_under(key.substr(0, 3), key);
    if (!id || id->hex().substr(0, 2) != key.substr(0, 2)) return std::nullopt;
    return id;
}

std::optional<proof_name> proof_key(std::string_view key) {
    if (!key.starts_with(proofs_prefix)) return std::nullopt;
    key.remove_prefix(proofs_prefix.size());
    if (key.size() != 2 * object_id::hex_size + 1 || key[object_id::hex_size] != '/') return std::nullopt;
    auto snapshot = id_under({}, key.substr(0, object_id::hex_size));
    auto id = id_under({}, key.substr(object_id::hex_size + 1));
    if (!snapshot || !id) return std::nullopt;
    return proof_name{*snapshot, *id};
}

}  // namespace holdfast::repository::names
