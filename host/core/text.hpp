// Small string helpers used across the host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace holdfast {

// "a, b, c" for join({"a","b","c"}, ", ").
inline std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

}  // namespace holdfast
