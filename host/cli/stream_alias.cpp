#include "cli/stream_alias.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace holdfast::cli {

std::string encode_stream_segment(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        switch (c) {
            case '%': out += "%25"; break;
            case '.': out += "%2E"; break;
            case '/': out += "%2F"; break;
            case '\\': out += "%5C"; break;
            default: out += c;
        }
    }
    return out;
}

std::optional<std::string> find_stream(const std::vector<std::string>& streams, std::string_view wanted) {
    if (std::find(streams.begin(), streams.end(), wanted) != streams.end()) return std::string(wanted);
    const std::string encoded = encode_stream_segment(wanted);
    std::vector<std::string> matches;
    for (const auto& name : streams) {
        const auto dot = name.find('.');
        if (dot != std::string::npos && dot > 0 && std::string_view(name).substr(dot + 1) == encoded)
            matches.push_back(name);
    }
    if (matches.empty()) return std::nullopt;
    if (matches.size() > 1)
        throw usage_error("'" + std::string(wanted) + "' names several streams of the snapshot (" + join(matches, ", ") +
                          "); give the stream's full name");
    return matches.front();
}

}  // namespace holdfast::cli
