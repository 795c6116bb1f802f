// Reading a JSON object of settings or options strictly: wrong types and
// unknown keys are errors (HF_ERR_INVALID_ARGUMENT), because a misspelt
// option silently ignored is a restore that does something else.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::engines::postgresql {

// Serialise for the host. Text from outside (file names, table names, a
// command's output) may be invalid UTF-8, which JSON cannot carry: such bytes
// become U+FFFD instead of failing the whole operation.
std::string to_json_text(const nlohmann::json& value);

class json_fields {
public:
    // `what` names the document in messages: "settings", "restore options".
    json_fields(std::string_view text, std::string what);

    std::optional<std::string> string(std::string_view key);
    std::optional<bool> boolean(std::string_view key);
    std::optional<std::int64_t> integer(std::string_view key);
    std::optional<double> number(std::string_view key);
    // An array of strings; empty when absent.
    std::vector<std::string> strings(std::string_view key);
    // Any type; nullptr when absent or null.
    const nlohmann::json* raw(std::string_view key) { return find(key); }

    // Throws when the object holds a key none of the getters asked for.
    void reject_unknown() const;

private:
    const nlohmann::json* find(std::string_view key);
    [[noreturn]] void wrong_type(std::string_view key, std::string_view expected) const;

    nlohmann::json object_;
    std::string what_;
    std::vector<std::string> known_;
};

}  // namespace holdfast::engines::postgresql
