#include "pipeline/atomic_file.hpp"

#include "core/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace holdfast::pipeline {

namespace {

[[noreturn]] void fail(const std::string& what, int err) {
    throw holdfast::error(what + ": " + std::strerror(err));
}

}  // namespace

atomic_file::atomic_file(std::filesystem::path target) : target_(std::move(target)) {
    const auto directory = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
    std::string pattern = (directory / ("." + target_.filename().string() + ".holdfast-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd_ < 0) fail("cannot create a file in " + directory.string(), errno);
    temporary_ = name.data();
    struct stat existing {};
    if (::stat(target_.c_str(), &existing) == 0 && S_ISREG(existing.st_mode))
        ::fchmod(fd_, existing.st_mode & 07777);  // best effort: the content matters, not the mode
}

atomic_file::~atomic_file() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temporary_.c_str());
}

void atomic_file::write(std::span<const std::byte> data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("writing " + target_.string(), errno);
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
}

void atomic_file::commit() {
    if (::fsync(fd_) != 0) fail("writing " + target_.string(), errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) fail("writing " + target_.string(), errno);
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) fail("renaming the output to " + target_.string(), errno);
    committed_ = true;
    // The rename itself is durable only once the directory is synced.
    const auto directory = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
    const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

}  // namespace holdfast::pipeline
