#include "config/interpolate.hpp"

#include <cstdlib>

namespace holdfast::config {
namespace {

bool valid_name(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    for (char c : name)
        if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

// The expansion of one ${...} reference, `body` being what is between the braces.
std::string expand(std::string_view body) {
    std::string_view name = body;
    std::string_view fallback;
    bool has_default = false;
    if (auto sep = body.find(":-"); sep != std::string_view::npos) {
        name = body.substr(0, sep);
        fallback = body.substr(sep + 2);
        has_default = true;
    }
    if (!valid_name(name))
        // The text is not echoed: the value may be a secret.
        throw interpolation_error("a ${...} reference has no valid variable name (letters, digits and _, not starting "
                                  "with a digit)");
    const char* value = std::getenv(std::string(name).c_str());
    if (has_default && (value == nullptr || *value == '\0')) return std::string(fallback);
    if (value == nullptr)
        throw interpolation_error("environment variable \"" + std::string(name) + "\" is not set (write ${" +
                                  std::string(name) + ":-default} to give a default)");
    return value;
}

}  // namespace

std::string interpolate(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$') {
            out += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '$') {
            out += '$';
            ++i;
        } else if (i + 1 < text.size() && text[i + 1] == '{') {
            auto close = text.find('}', i + 2);
            if (close == std::string_view::npos) throw interpolation_error("\"${\" without a closing \"}\"");
            out += expand(text.substr(i + 2, close - i - 2));
            i = close;
        } else {
            throw interpolation_error("\"$\" must start ${NAME} or ${NAME:-default}; write \"$$\" for a literal \"$\"");
        }
    }
    return out;
}

}  // namespace holdfast::config
