// The plugin search path: explicit paths replace the search; otherwise an
// additive variable, the user's data directory, the install prefix relative to
// the executable (so an unpacked or build tree works wherever it is), then the
// system directories.
#include "plugins/search_path.hpp"

#include "plugins/catalog.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

namespace holdfast::plugins {
namespace {

// Where `make install` puts plugins, relative to the prefix. The build tree
// always uses lib/holdfast/plugins; an install may use a multiarch libdir
// (lib/x86_64-linux-gnu/...), so both are searched.
#ifndef HOLDFAST_PLUGIN_INSTALL_DIR
#define HOLDFAST_PLUGIN_INSTALL_DIR "lib/holdfast/plugins"
#endif

// An empty variable counts as unset, as shells make it easy to set one empty.
std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

void append(std::vector<std::filesystem::path>& out, std::vector<std::filesystem::path> more) {
    for (auto& dir : more) out.push_back(std::move(dir));
}

// A directory listed twice (the install prefix is /usr, say) would report each
// of its plugins as shadowed by itself; keep the first occurrence only.
std::vector<std::filesystem::path> without_duplicates(std::vector<std::filesystem::path> dirs) {
    std::vector<std::filesystem::path> out;
    for (auto& dir : dirs) {
        auto normal = dir.lexically_normal();
        if (normal.has_relative_path() && !normal.has_filename()) normal = normal.parent_path();  // drop trailing '/'
        if (std::find(out.begin(), out.end(), normal) == out.end()) out.push_back(std::move(normal));
    }
    return out;
}

}  // namespace

search_environment search_environment::current() {
    search_environment e;
    e.plugin_path = env("HOLDFAST_PLUGIN_PATH");
    e.add_plugin_path = env("HOLDFAST_ADD_PLUGIN_PATH");
    e.xdg_data_home = env("XDG_DATA_HOME");
    e.home = env("HOME");
    std::error_code ec;
    e.executable = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) e.executable.clear();
    return e;
}

std::vector<std::filesystem::path> split_path_list(std::string_view list) {
    std::vector<std::filesystem::path> out;
    while (true) {
        auto colon = list.find(':');
        auto item = list.substr(0, colon);
        if (!item.empty()) out.emplace_back(item);
        if (colon == std::string_view::npos) break;
        list.remove_prefix(colon + 1);
    }
    return out;
}

std::vector<std::filesystem::path> search_path(const std::vector<std::string>& cli_plugin_path,
                                               const search_environment& environment) {
    std::vector<std::filesystem::path> out;
    for (const auto& item : cli_plugin_path) append(out, split_path_list(item));
    if (!cli_plugin_path.empty()) return without_duplicates(std::move(out));
    if (environment.plugin_path && !environment.plugin_path->empty())
        return without_duplicates(split_path_list(*environment.plugin_path));

    if (environment.add_plugin_path) append(out, split_path_list(*environment.add_plugin_path));

    // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
    if (environment.xdg_data_home && std::filesystem::path(*environment.xdg_data_home).is_absolute())
        out.push_back(std::filesystem::path(*environment.xdg_data_home) / "holdfast" / "plugins");
    else if (environment.home && !environment.home->empty())
        out.push_back(std::filesystem::path(*environment.home) / ".local" / "share" / "holdfast" / "plugins");

    if (!environment.executable.empty()) {
        auto prefix = environment.executable.parent_path().parent_path();
        out.push_back(prefix / "lib" / "holdfast" / "plugins");
        out.push_back(prefix / HOLDFAST_PLUGIN_INSTALL_DIR);
    }

    out.emplace_back("/usr/local/lib/holdfast/plugins");
    out.emplace_back("/usr/lib/holdfast/plugins");
    return without_duplicates(std::move(out));
}

std::vector<std::filesystem::path> search_path(const std::vector<std::string>& cli_plugin_path) {
    return search_path(cli_plugin_path, search_environment::current());
}

}  // namespace holdfast::plugins
