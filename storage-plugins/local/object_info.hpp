// What stat() and list() report about an object, from the file's struct stat.
#pragma once

#include <holdfast/plugin/storage.hpp>

#include <sys/stat.h>

#include <cstdint>

namespace holdfast::local {

inline plugin::object_info object_info_of(const struct stat& st) {
    return plugin::object_info{
        static_cast<std::uint64_t>(st.st_size),
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + static_cast<std::int64_t>(st.st_mtim.tv_nsec)};
}

}  // namespace holdfast::local
