#include "files.hpp"

#include <holdfast/plugin/common.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace holdfast::engines::sqlite {

hf_status status_for_errno(int err) noexcept {
    switch (err) {
        case ENOSPC:
        case EDQUOT: return HF_ERR_NO_SPACE;
        case EACCES:
        case EPERM:
        case EROFS: return HF_ERR_PERMISSION;
        case ENOENT:
        case ENOTDIR: return HF_ERR_NOT_FOUND;
        default: return HF_ERR_IO;
    }
}

void throw_errno(const std::string& what, int err) {
    throw holdfast::plugin::error(status_for_errno(err), what + ": " + std::strerror(err));
}

plugin::unique_fd open_file(const std::filesystem::path& path, int flags, const std::string& what) {
    int fd;
    do {
        fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) throw_errno(what, errno);
    return plugin::unique_fd(fd);
}

std::size_t read_some(int fd, std::span<std::byte> buffer, const std::string& what) {
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) throw_errno(what, errno);
    }
}

void write_all(int fd, std::span<const std::byte> data, const std::string& what) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(what, errno);
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
}

void sync_file(int fd, const std::string& what) {
    if (::fsync(fd) != 0) throw_errno(what, errno);
}

void sync_directory(const std::filesystem::path& directory) {
    plugin::unique_fd fd = open_file(directory, O_RDONLY | O_DIRECTORY, "opening directory " + directory.string());
    // Some file systems cannot fsync a directory (EINVAL): nothing more to do there.
    if (::fsync(fd.get()) != 0 && errno != EINVAL) throw_errno("syncing directory " + directory.string(), errno);
}

}  // namespace holdfast::engines::sqlite
