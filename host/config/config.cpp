#include "config/config.hpp"

#include <algorithm>
#include <cctype>

namespace holdfast::config {

std::string scheme_of(std::string_view location) {
    // RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://" here
    // since every repository URL names an authority or a path after it.
    auto end = location.find("://");
    if (end == std::string_view::npos || end == 0 || std::isalpha(static_cast<unsigned char>(location[0])) == 0)
        return "file";
    std::string scheme;
    for (char c : location.substr(0, end)) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) == 0 && c != '+' && c != '-' && c != '.') return "file";
        scheme += static_cast<char>(std::tolower(u));
    }
    return scheme;
}

std::optional<std::filesystem::path> file_location_path(std::string_view location, const std::filesystem::path& base) {
    std::filesystem::path path;
    if (scheme_of(location) == "file" && location.find("://") != std::string_view::npos) {
        std::string_view rest = location.substr(location.find("://") + 3);
        if (rest.starts_with("localhost/")) rest.remove_prefix(std::string_view("localhost").size());
        if (!rest.starts_with('/')) return std::nullopt;
        path = rest;
    } else {
        path = location;
        if (path.is_relative()) path = std::filesystem::absolute(base / path);
    }
    return path.lexically_normal();
}

std::string redact_location(std::string_view location) {
    auto authority = location.find("://");
    if (authority == std::string_view::npos) return std::string(location);
    authority += 3;
    auto at_sign = location.find('@', authority);
    auto slash = location.find('/', authority);
    if (at_sign == std::string_view::npos || (slash != std::string_view::npos && slash < at_sign))
        return std::string(location);
    auto colon = location.find(':', authority);
    if (colon == std::string_view::npos || colon > at_sign) return std::string(location);
    return std::string(location.substr(0, colon + 1)) + "<secret>" + std::string(location.substr(at_sign));
}

std::string repository_config::scheme() const { return scheme_of(location); }

const source_config* config::find_source(std::string_view name) const {
    auto it = std::find_if(sources.begin(), sources.end(), [&](const source_config& s) { return s.name == name; });
    return it == sources.end() ? nullptr : &*it;
}

}  // namespace holdfast::config
