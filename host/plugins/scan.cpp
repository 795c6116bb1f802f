#include "plugins/scan.hpp"

#include <algorithm>
#include <system_error>

namespace holdfast::plugins {
namespace {

namespace fs = std::filesystem;

// Entries of `directory` sorted by file name (byte order), so the result does
// not depend on the file system's order. Errors end the listing quietly.
std::vector<fs::directory_entry> sorted_entries(const fs::path& directory) {
    std::vector<fs::directory_entry> entries;
    std::error_code ec;
    fs::directory_iterator it(directory, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.path().filename().native() < b.path().filename().native();
    });
    return entries;
}

// Hidden entries are editors' and package managers' leftovers, not plugins.
bool hidden(const fs::directory_entry& entry) { return entry.path().filename().native().starts_with('.'); }

// Follows symlinks, so a link to a manifest or a plugin folder counts.
bool is_manifest(const fs::directory_entry& entry) {
    std::error_code ec;
    return !hidden(entry) && entry.path().extension() == ".json" && entry.is_regular_file(ec);
}

bool is_directory(const fs::directory_entry& entry) {
    std::error_code ec;
    return !hidden(entry) && entry.is_directory(ec);
}

}  // namespace

std::vector<fs::path> manifest_files(const fs::path& directory) {
    std::vector<fs::path> out;
    for (const auto& entry : sorted_entries(directory)) {
        if (is_manifest(entry)) {
            out.push_back(entry.path());
        } else if (is_directory(entry)) {
            for (const auto& inner : sorted_entries(entry.path()))
                if (is_manifest(inner)) out.push_back(inner.path());
        }
    }
    return out;
}

}  // namespace holdfast::plugins
