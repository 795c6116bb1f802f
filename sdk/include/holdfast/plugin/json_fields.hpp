// Reading a JSON object of settings or options strictly, for plugins written with
// nlohmann/json (apt install nlohmann-json3-dev; the rest of the SDK does not need it).
// Wrong types and unknown keys are errors (HF_ERR_INVALID_ARGUMENT), because a misspelt
// option silently ignored is a restore that does something else. Header-only.
#pragma once

#include <holdfast/plugin/common.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::plugin {

// Serialises a value for the host (metadata, reports). Text from outside (file names,
// table names, a command's output) may be invalid UTF-8, which JSON cannot carry: such
// bytes become U+FFFD instead of failing the whole operation. Never throws for encoding.
inline std::string to_json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// One JSON object, read key by key. Every getter records its key as known; absent and
// null keys read as "not given". Throws error(HF_ERR_INVALID_ARGUMENT) on a wrong type.
class json_fields {
public:
    // `text` is the object ("" counts as {}); `what` names it in messages: "settings",
    // "restore options". Throws HF_ERR_INVALID_ARGUMENT when it is not a JSON object.
    json_fields(std::string_view text, std::string what) : what_(std::move(what)) {
        try {
            object_ = nlohmann::json::parse(text.empty() ? std::string_view("{}") : text);
        } catch (const nlohmann::json::parse_error& e) {
            throw error(HF_ERR_INVALID_ARGUMENT, what_ + " are not valid JSON: " + e.what());
        }
        if (!object_.is_object()) throw error(HF_ERR_INVALID_ARGUMENT, what_ + " must be a JSON object");
    }

    std::optional<std::string> string(std::string_view key) { return get<std::string>(key, &nlohmann::json::is_string, "a string"); }
    std::optional<bool> boolean(std::string_view key) { return get<bool>(key, &nlohmann::json::is_boolean, "true or false"); }
    std::optional<std::int64_t> integer(std::string_view key) {
        return get<std::int64_t>(key, &nlohmann::json::is_number_integer, "an integer");
    }
    std::optional<double> number(std::string_view key) { return get<double>(key, &nlohmann::json::is_number, "a number"); }

    // An array of strings; empty when absent.
    std::vector<std::string> strings(std::string_view key) {
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

    // Any type, for the caller to check; nullptr when absent or null. Owned by this object.
    const nlohmann::json* raw(std::string_view key) { return find(key); }

    // Throws HF_ERR_INVALID_ARGUMENT, naming the known keys, when the object holds a key
    // none of the getters asked for. Call it after the last getter.
    void reject_unknown() const {
        for (const auto& [key, value] : object_.items()) {
            if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
            std::string known;
            for (const auto& k : known_) known += (known.empty() ? "" : ", ") + k;
            throw error(HF_ERR_INVALID_ARGUMENT,
                        what_ + ": unknown key \"" + key + "\" (known: " + (known.empty() ? "none" : known) + ")");
        }
    }

private:
    const nlohmann::json* find(std::string_view key) {
        known_.emplace_back(key);
        auto it = object_.find(key);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }

    template <typename T>
    std::optional<T> get(std::string_view key, bool (nlohmann::json::*is_type)() const noexcept, std::string_view expected) {
        const nlohmann::json* value = find(key);
        if (value == nullptr) return std::nullopt;
        if (!(value->*is_type)()) wrong_type(key, expected);
        return value->get<T>();
    }

    [[noreturn]] void wrong_type(std::string_view key, std::string_view expected) const {
        throw error(HF_ERR_INVALID_ARGUMENT, what_ + ": \"" + std::string(key) + "\" must be " + std::string(expected));
    }

    nlohmann::json object_;
    std::string what_;
    std::vector<std::string> known_;
};

}  // namespace holdfast::plugin
