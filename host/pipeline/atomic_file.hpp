// A file that appears complete or not at all: written under a temporary name in the target's
// directory, then synced and renamed over the target by commit(). Dropped without commit()
// (an error, an interruption) the temporary file is removed and the target is untouched, so
// a failed dump never leaves a file that looks like a good one.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

namespace holdfast::pipeline {

class atomic_file {
public:
    // Creates the temporary file, mode 0600 (stream content is often sensitive), or the
    // target's mode when it exists. Throws holdfast::error naming the path.
    explicit atomic_file(std::filesystem::path target);
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;
    ~atomic_file();

    void write(std::span<const std::byte> data);
    // fsync, rename over the target, fsync the directory.
    void commit();

    const std::filesystem::path& target() const noexcept { return target_; }

private:
    std::filesystem::path target_;
    std::filesystem::path temporary_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace holdfast::pipeline
