// The local plugin's settings, parsed from the JSON the host passes to open().
#pragma once

#include <string>
#include <string_view>

namespace holdfast::local {

struct settings {
    std::string path;     // absolute, without trailing '/' (except "/" itself)
    bool create = false;  // make the directory (and its parents) when missing
};

// Throws plugin::error(HF_ERR_INVALID_ARGUMENT) naming the offending setting.
settings parse_settings(std::string_view json);

}  // namespace holdfast::local
