#include "config/locate.hpp"

#include "core/error.hpp"

#include <cstdlib>
#include <system_error>

namespace holdfast::config {
namespace {

std::optional<std::string> environment(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

std::filesystem::path must_exist(std::filesystem::path file, std::string_view named_by) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw usage_error("configuration file " + file.string() + " (from " + std::string(named_by) +
                          ") does not exist");
    return file;
}

}  // namespace

std::vector<std::filesystem::path> default_locations() {
    std::vector<std::filesystem::path> places{"holdfast.yaml"};
    // The XDG spec says to ignore a relative XDG_CONFIG_HOME.
    auto xdg = environment("XDG_CONFIG_HOME");
    if (xdg && std::filesystem::path(*xdg).is_absolute())
        places.push_back(std::filesystem::path(*xdg) / "holdfast" / "holdfast.yaml");
    else if (auto home = environment("HOME"))
        places.push_back(std::filesystem::path(*home) / ".config" / "holdfast" / "holdfast.yaml");
    places.emplace_back("/etc/holdfast/holdfast.yaml");
    return places;
}

std::optional<std::filesystem::path> locate(const cli::global_options& options) {
    if (options.config) return must_exist(*options.config, "--config");
    if (auto named = environment("HOLDFAST_CONFIG")) return must_exist(*named, "HOLDFAST_CONFIG");
    for (auto& place : default_locations()) {
        std::error_code ec;
        if (std::filesystem::exists(place, ec)) return place;
    }
    return std::nullopt;
}

}  // namespace holdfast::config
