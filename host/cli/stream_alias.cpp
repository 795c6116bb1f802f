#include "cli/stream_alias.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <holdfast/stream_name.hpp>

#include <algorithm>

namespace holdfast::cli {

std::optional<std::string> find_stream(const std::vector<std::string>& streams, std::string_view wanted) {
    if (std::find(streams.begin(), streams.end(), wanted) != streams.end()) return std::string(wanted);
    const std::string encoded = holdfast::encode_stream_segment(wanted);
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
