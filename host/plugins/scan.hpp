// Finding manifest files inside one search directory.
#pragma once

#include <filesystem>
#include <vector>

namespace holdfast::plugins {

// The manifest files of `directory`, in search order: its entries sorted by
// name; a *.json file is a manifest; a subdirectory contributes its own *.json
// files (sorted), one level deep only. Hidden entries (.name) are skipped.
// A directory that does not exist or cannot be read yields nothing: the
// search path lists places that may exist.
std::vector<std::filesystem::path> manifest_files(const std::filesystem::path& directory);

}  // namespace holdfast::plugins
