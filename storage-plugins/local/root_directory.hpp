// The repository's root directory, and safe walks below it.
//
// Every path below the root is opened one segment at a time with openat() and
// O_NOFOLLOW, relative to a descriptor held since open(): a symbolic link
// planted inside the repository can never lead a read or write outside it,
// and renaming the root while the store is open does not split it in two.
#pragma once

#include "file_descriptor.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace holdfast::local {

// An open directory and its absolute path (for messages only).
struct directory {
    file_descriptor fd;
    std::string path;

    std::string child(std::string_view name) const;
};

// fsync() a directory, so that entries just created, renamed or removed in it
// survive a crash.
void sync_directory(const directory& dir);

class root_directory {
public:
    // Open the directory at absolute `path`. With `create`, make it and any
    // missing parent first; otherwise a missing directory is HF_ERR_NOT_FOUND.
    root_directory(std::string path, bool create);

    const std::string& path() const noexcept { return path_; }
    // The absolute path of `relative` below the root, for messages.
    std::string path_of(std::string_view relative) const;

    // A fresh descriptor on the root: its own file offset, so that concurrent
    // listings never share a directory stream.
    directory open_root() const;

    // The directory at `relative` ("a/b"; "" is the root). Missing directories
    // are created, and synced into their parent, when `create`; otherwise the
    // result is std::nullopt. A symbolic link on the way is HF_ERR_PERMISSION.
    std::optional<directory> open_directory(std::string_view relative, bool create) const;

private:
    std::string path_;
    file_descriptor fd_;
};

}  // namespace holdfast::local
