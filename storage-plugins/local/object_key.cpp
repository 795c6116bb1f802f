#include "object_key.hpp"

#include "errors.hpp"

#include <holdfast/plugin/common.hpp>

#include <climits>
#include <string>

namespace holdfast::local {

key_parts split_key(std::string_view key) {
    std::size_t slash = key.rfind('/');
    if (slash == std::string_view::npos) return {{}, key};
    return {key.substr(0, slash), key.substr(slash + 1)};
}

void check_storable(std::string_view key) {
    if (is_temp_name(split_key(key).name))
        throw plugin::error(HF_ERR_INVALID_ARGUMENT,
                            "invalid object key " + quote(key) + ": names starting with '" +
                                std::string(temp_prefix) + "' are reserved for writes in progress");
    std::size_t start = 0;
    while (start <= key.size()) {
        std::size_t end = key.find('/', start);
        if (end == std::string_view::npos) end = key.size();
        if (end - start > NAME_MAX)
            throw plugin::error(HF_ERR_INVALID_ARGUMENT,
                                "invalid object key " + quote(key) + ": a segment is longer than " +
                                    std::to_string(NAME_MAX) + " bytes, the file system's limit for a name");
        start = end + 1;
    }
}

}  // namespace holdfast::local
