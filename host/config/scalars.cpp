#include "config/scalars.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace holdfast::config {
namespace {

std::string_view without_plus(std::string_view text) {
    return !text.empty() && text[0] == '+' ? text.substr(1) : text;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    text = without_plus(text);
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> parse_number(std::string_view text) {
    text = without_plus(text);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return out;
}

// YAML 1.1's spellings too: operators write `compress: yes`.
std::optional<bool> parse_boolean(std::string_view text) {
    const std::string word = lower(text);
    if (word == "true" || word == "yes" || word == "on") return true;
    if (word == "false" || word == "no" || word == "off") return false;
    return std::nullopt;
}

nlohmann::json number_json(std::string_view text, double value) {
    if (auto integer = parse_integer(text)) return *integer;
    return value;
}

}  // namespace

std::optional<nlohmann::json> to_json(std::string_view text, const std::string& type) {
    if (type == "string") return nlohmann::json(std::string(text));
    if (type == "integer") {
        if (auto v = parse_integer(text)) return *v;
        return std::nullopt;
    }
    if (type == "number") {
        if (auto v = parse_number(text)) return number_json(text, *v);
        return std::nullopt;
    }
    if (type == "boolean") {
        if (auto v = parse_boolean(text)) return *v;
        return std::nullopt;
    }
    // Untyped (a free-form mapping or list): text. Guessing numbers and booleans
    // would hand `PGPORT: 5432` to a plugin that wants a string as an integer.
    return nlohmann::json(std::string(text));
}

std::string expected_name(const std::string& type) {
    if (type == "string") return "a string";
    if (type == "integer") return "an integer";
    if (type == "number") return "a number";
    if (type == "boolean") return "true or false";
    if (type == "object") return "a mapping";
    if (type == "array") return "a list";
    return "a value";
}

}  // namespace holdfast::config
