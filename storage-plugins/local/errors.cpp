#include "errors.hpp"

#include <holdfast/plugin/common.hpp>

#include <cerrno>
#include <system_error>

namespace holdfast::local {

hf_status status_for_errno(int err) noexcept {
    switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return HF_ERR_NO_SPACE;
    case EACCES:
    case EPERM:
    case EROFS:
        return HF_ERR_PERMISSION;
    case ENOENT:
        return HF_ERR_NOT_FOUND;
    case EEXIST:
        return HF_ERR_ALREADY_EXISTS;
    case ENAMETOOLONG:
        return HF_ERR_INVALID_ARGUMENT;
    default:
        return HF_ERR_IO;
    }
}

std::string errno_message(std::string_view what, int err) {
    // std::generic_category() uses strerror_r: safe from several threads.
    return std::string(what) + ": [" + std::to_string(err) + "] " + std::generic_category().message(err);
}

void throw_errno(std::string_view what, int err) { throw_errno(status_for_errno(err), what, err); }

void throw_errno(hf_status status, std::string_view what, int err) {
    throw plugin::error(status, errno_message(what, err));
}

std::string quote(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace holdfast::local
