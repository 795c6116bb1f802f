// Listing objects by key prefix: a walk of the directory tree in key order.
#pragma once

#include "root_directory.hpp"

#include <holdfast/plugin/storage.hpp>

#include <string_view>

namespace holdfast::local {

// Call `each` for every object whose key starts with `prefix` (any string, not
// necessarily ending at a '/'), in lexicographic byte order of the keys.
// Only regular files are objects: temporary files of puts in progress,
// symbolic links, and files whose names could not be keys are skipped.
// Directories that cannot hold a matching key are not entered.
void list_objects(const root_directory& root, std::string_view prefix, const plugin::object_callback& each,
                  const plugin::host_services& host);

}  // namespace holdfast::local
