// An owning POSIX file descriptor for plugins: closed on destruction or reset, movable,
// not copyable. Header-only.
#pragma once

#include <unistd.h>

#include <utility>

namespace holdfast::plugin {

class unique_fd {
public:
    unique_fd() = default;
    // Takes ownership of `fd` (-1: none).
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    // The descriptor, still owned here; -1 when none.
    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    // Closes the current descriptor (a close error is ignored: nothing is left to do
    // about it) and owns `fd` instead.
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

}  // namespace holdfast::plugin
