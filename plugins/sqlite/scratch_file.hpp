// A temporary database file: created empty and unique (mkstemp), removed on
// destruction together with the -journal, -wal and -shm files SQLite may have
// created next to it, unless it was handed over with release().
#pragma once

#include "files.hpp"

#include <filesystem>
#include <string_view>

namespace holdfast::engines::sqlite {

class scratch_file {
public:
    // A new file "<directory>/<prefix>XXXXXX", mode 0600, open for writing.
    static scratch_file create(const std::filesystem::path& directory, std::string_view prefix);

    scratch_file(scratch_file&& other) noexcept;
    scratch_file& operator=(scratch_file&&) = delete;
    scratch_file(const scratch_file&) = delete;
    ~scratch_file();

    const std::filesystem::path& path() const noexcept { return path_; }
    // The descriptor from creation; invalid after close().
    int fd() const noexcept { return fd_.get(); }
    void close() noexcept { fd_.reset(); }
    // The file was renamed away: do not delete anything any more.
    void release() noexcept { path_.clear(); }

private:
    scratch_file(std::filesystem::path path, plugin::unique_fd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

    std::filesystem::path path_;
    plugin::unique_fd fd_;
};

}  // namespace holdfast::engines::sqlite
