// Scalar text to typed JSON, by the type a settings schema asks for. Values are
// converted by their text whether quoted or not, so `port: "5432"` and
// `port: ${PGPORT}` both make an integer. A value the schema gives no type
// stays a string: the plugin, not YAML's guessing, decides what it means.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace holdfast::config {

// `type` is a schema type ("string", "integer", "number", "boolean") or empty
// for none. nullopt when the text is not of that type.
std::optional<nlohmann::json> to_json(std::string_view text, const std::string& type);

// "a string", "an integer", ... for messages.
std::string expected_name(const std::string& type);

}  // namespace holdfast::config
