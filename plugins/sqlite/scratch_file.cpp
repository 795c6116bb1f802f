#include "scratch_file.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace holdfast::engines::sqlite {

scratch_file scratch_file::create(const std::filesystem::path& directory, std::string_view prefix) {
    std::string pattern = (directory / (std::string(prefix) + "XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    int fd = ::mkostemp(buffer.data(), O_CLOEXEC);
    if (fd < 0) throw_errno("creating a temporary file in " + directory.string(), errno);
    return scratch_file(std::filesystem::path(buffer.data()), plugin::unique_fd(fd));
}

scratch_file::scratch_file(scratch_file&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::move(other.fd_)) {
    other.path_.clear();
}

scratch_file::~scratch_file() {
    fd_.reset();
    if (path_.empty()) return;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) ::unlink((path_.string() + suffix).c_str());
}

}  // namespace holdfast::engines::sqlite
