#include "json_fields.hpp"

#include <holdfast/plugin/common.hpp>

#include <algorithm>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

std::string to_json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

json_fields::json_fields(std::string_view text, std::string what) : what_(std::move(what)) {
    try {
        object_ = nlohmann::json::parse(text.empty() ? std::string_view("{}") : text);
    } catch (const nlohmann::json::parse_error& e) {
        throw error(HF_ERR_INVALID_ARGUMENT, what_ + " are not valid JSON: " + e.what());
    }
    if (!object_.is_object()) throw error(HF_ERR_INVALID_ARGUMENT, what_ + " must be a JSON object");
}

const nlohmann::json* json_fields::find(std::string_view key) {
    known_.emplace_back(key);
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
}

void json_fields::wrong_type(std::string_view key, std::string_view expected) const {
    throw error(HF_ERR_INVALID_ARGUMENT,
                what_ + ": \"" + std::string(key) + "\" must be " + std::string(expected));
}

std::optional<std::string> json_fields::string(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) wrong_type(key, "a string");
    return value->get<std::string>();
}

std::optional<bool> json_fields::boolean(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) wrong_type(key, "true or false");
    return value->get<bool>();
}

std::optional<std::int64_t> json_fields::integer(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number_integer()) wrong_type(key, "an integer");
    return value->get<std::int64_t>();
}

std::optional<double> json_fields::number(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) wrong_type(key, "a number");
    return value->get<double>();
}

std::vector<std::string> json_fields::strings(std::string_view key) {
    const nlohmann::json* value = find(key);
    std::vector<std::string> out;
    if (value == nullptr) return out;
    if (!value->is_array()) wrong_type(key, "an array of strings");
    for (const auto& item : *value) {
        if (!item.is_string()) wrong_type(key, "an array of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

void json_fields::reject_unknown() const {
    for (const auto& [key, value] : object_.items()) {
        if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
        std::string known;
        for (const auto& k : known_) known += (known.empty() ? "" : ", ") + k;
        throw error(HF_ERR_INVALID_ARGUMENT, what_ + ": unknown key \"" + key + "\" (known: " +
                                                 (known.empty() ? "none" : known) + ")");
    }
}

}  // namespace holdfast::engines::postgresql
