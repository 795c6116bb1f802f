#include "plugins/catalog.hpp"

#include <algorithm>

namespace holdfast::plugins {

bool plugin_policy::allows(std::string_view name) const {
    auto listed = [&](const std::vector<std::string>& list) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    if (listed(disable)) return false;
    return enable.empty() || listed(enable);
}

}  // namespace holdfast::plugins
