// The settings-schema subset: the part of JSON Schema a plugin manifest may use
// to describe its settings (docs/plugins.md, manifests/manifest.schema.json).
// One definition for both sides: the manifest checker (plugins/manifest.cpp)
// refuses anything outside it, and the configuration validator
// (config/settings.cpp) enforces everything inside it.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::plugins::settings_schema {

// The values "type" may name, alone or in an array ("type": ["array", "string"]).
inline constexpr std::array<std::string_view, 6> type_names{"object", "string", "integer",
                                                           "number", "boolean", "array"};

// Every keyword a setting's schema may use, at any depth.
inline constexpr std::array<std::string_view, 11> keywords{
    "type",  "properties", "required", "enum",    "default", "description", "additionalProperties",
    "items", "minimum",    "maximum",  "secret"};

// The keywords of the settings object itself (the manifest's "settings"),
// whose "type" must be "object": a subset of `keywords`.
inline constexpr std::array<std::string_view, 5> top_level_keywords{"type", "description", "properties", "required",
                                                                    "additionalProperties"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

inline bool is_type_name(std::string_view name) { return contains(type_names, name); }
inline bool is_keyword(std::string_view name) { return contains(keywords, name); }

// "a, b, c": for messages listing what is allowed.
template <typename Names>
std::string joined(const Names& names, std::string_view separator = ", ") {
    std::string out;
    for (const auto& name : names) {
        if (!out.empty()) out += separator;
        out += std::string_view(name);
    }
    return out;
}

// The types `schema` allows, in the order written: its "type" as a list. Empty
// when it gives none (then any value is allowed). Names that are not type
// names are skipped: the manifest checker has refused them already.
inline std::vector<std::string> types_of(const nlohmann::json& schema) {
    std::vector<std::string> out;
    if (!schema.is_object()) return out;
    const auto& members = schema.get_ref<const nlohmann::json::object_t&>();
    auto it = members.find("type");
    if (it == members.end()) return out;
    const nlohmann::json& type = it->second;
    auto add = [&](const nlohmann::json& name) {
        if (name.is_string() && is_type_name(name.get_ref<const std::string&>())) out.push_back(name.get<std::string>());
    };
    if (type.is_array()) {
        for (const auto& name : type) add(name);
    } else {
        add(type);
    }
    return out;
}

// True when `types` is empty (any value) or lists `type`.
inline bool allows(const std::vector<std::string>& types, std::string_view type) {
    return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
}

// True when the JSON value is of the named type ("integer": a number written
// without fraction or exponent; "number": any number).
inline bool matches_type(const nlohmann::json& value, std::string_view type) {
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    if (type == "array") return value.is_array();
    if (type == "object") return value.is_object();
    return false;
}

// True when the value is of one of `types` (or `types` is empty).
inline bool matches_any(const nlohmann::json& value, const std::vector<std::string>& types) {
    return types.empty() ||
           std::any_of(types.begin(), types.end(), [&](const std::string& type) { return matches_type(value, type); });
}

}  // namespace holdfast::plugins::settings_schema
