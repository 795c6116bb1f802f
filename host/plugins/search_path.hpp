// Where plugins are looked for. The order is part of the user interface
// (docs/plugins.md, "Search order") and must stay deterministic.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::plugins {

// Everything search_path() reads from the process, so the order can be tested
// without touching the real environment.
struct search_environment {
    std::optional<std::string> plugin_path;      // HOLDFAST_PLUGIN_PATH
    std::optional<std::string> add_plugin_path;  // HOLDFAST_ADD_PLUGIN_PATH
    std::optional<std::string> xdg_data_home;    // XDG_DATA_HOME
    std::optional<std::string> home;             // HOME
    std::filesystem::path executable;            // this program (empty if unknown)

    // Read from the environment and /proc/self/exe.
    static search_environment current();
};

// The directories to search, in order (see catalog.hpp's overload).
std::vector<std::filesystem::path> search_path(const std::vector<std::string>& cli_plugin_path,
                                               const search_environment& environment);

// Split a ':'-separated list, dropping empty elements.
std::vector<std::filesystem::path> split_path_list(std::string_view list);

}  // namespace holdfast::plugins
