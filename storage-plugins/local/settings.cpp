#include "settings.hpp"

#include "errors.hpp"

#include <holdfast/plugin/common.hpp>

#include <nlohmann/json.hpp>

namespace holdfast::local {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw plugin::error(HF_ERR_INVALID_ARGUMENT, "local storage settings: " + message);
}

}  // namespace

settings parse_settings(std::string_view json) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json);
    } catch (const nlohmann::json::parse_error& e) {
        invalid(std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) invalid("expected a JSON object");

    settings out;
    for (const auto& [name, value] : doc.items()) {
        if (name == "path") {
            if (!value.is_string()) invalid("'path' must be a string");
            out.path = value.get<std::string>();
        } else if (name == "create") {
            if (!value.is_boolean()) invalid("'create' must be true or false");
            out.create = value.get<bool>();
        } else {
            // Refused rather than ignored: a misspelt "create" would otherwise
            // silently mean "do not create".
            invalid("unknown setting " + quote(name) + " (known: path, create)");
        }
    }
    if (out.path.empty()) invalid("'path' is required: the repository directory, as an absolute path");
    if (out.path.front() != '/') invalid("'path' must be absolute, got " + quote(out.path));
    if (out.path.find('\0') != std::string::npos) invalid("'path' contains a NUL character");
    while (out.path.size() > 1 && out.path.back() == '/') out.path.pop_back();
    return out;
}

}  // namespace holdfast::local
