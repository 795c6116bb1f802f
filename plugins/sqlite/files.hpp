// Small POSIX file helpers: an owning file descriptor and the few calls the
// engine needs with errors turned into plugin::error carrying the right status.
#pragma once

#include <holdfast/abi.h>

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <utility>

namespace holdfast::engines::sqlite {

class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

// ENOSPC -> HF_ERR_NO_SPACE, EACCES -> HF_ERR_PERMISSION, ENOENT -> HF_ERR_NOT_FOUND, else HF_ERR_IO.
hf_status status_for_errno(int err) noexcept;
// Throws plugin::error("<what>: <strerror(err)>").
[[noreturn]] void throw_errno(const std::string& what, int err);

unique_fd open_file(const std::filesystem::path& path, int flags, const std::string& what);
// Reads up to buffer.size() bytes; 0 at end of file. Retries EINTR.
std::size_t read_some(int fd, std::span<std::byte> buffer, const std::string& what);
void write_all(int fd, std::span<const std::byte> data, const std::string& what);
void sync_file(int fd, const std::string& what);
// Makes renames and links inside `directory` durable.
void sync_directory(const std::filesystem::path& directory);

}  // namespace holdfast::engines::sqlite
