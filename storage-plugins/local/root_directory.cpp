#include "root_directory.hpp"

#include "errors.hpp"

#include <holdfast/plugin/common.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace holdfast::local {
namespace {

// Repositories hold backups of databases: nothing for "other" users.
constexpr mode_t directory_mode = 0750;

constexpr int directory_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

// "/a/b" -> "/a"; "/a" -> "/".
std::string parent_path(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == 0 ? std::string("/") : path.substr(0, slash);
}

void sync_directory_at(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw_errno("unable to open directory " + quote(path) + " to sync it", errno);
    sync_directory(directory{file_descriptor(fd), path});
}

// mkdir -p, syncing each parent that gained an entry. The root's own path may
// go through symbolic links: the operator chose it.
void make_directories(const std::string& path) {
    for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
        std::string prefix = path.substr(0, slash);
        if (::mkdir(prefix.c_str(), directory_mode) == 0) {
            sync_directory_at(parent_path(prefix));
        } else if (errno != EEXIST) {
            throw_errno("unable to create repository directory " + quote(prefix), errno);
        }
        if (slash == std::string::npos) break;
    }
}

// One step of a walk: `name` inside `parent`, as a directory.
std::optional<directory> open_child(const directory& parent, std::string_view name, bool create) {
    const std::string name_z(name);
    std::string path = parent.child(name);
    // A few rounds at most: another writer may create the directory between
    // our failed open and our mkdir.
    for (int attempt = 0; attempt < 4; ++attempt) {
        int fd = ::openat(parent.fd.get(), name_z.c_str(), directory_flags);
        if (fd >= 0) return directory{file_descriptor(fd), std::move(path)};
        const int err = errno;
        if (err == ENOENT) {
            if (!create) return std::nullopt;
            if (::mkdirat(parent.fd.get(), name_z.c_str(), directory_mode) == 0)
                sync_directory(parent);
            else if (errno != EEXIST)
                throw_errno("unable to create directory " + quote(path), errno);
            continue;
        }
        if (err == ELOOP || err == ENOTDIR) {
            struct stat st {};
            if (::fstatat(parent.fd.get(), name_z.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
                if (S_ISLNK(st.st_mode))
                    throw plugin::error(HF_ERR_PERMISSION, "refusing to follow symbolic link " + quote(path) +
                                                               " inside the repository");
                // An object sits where a directory would have to be: the key
                // cannot exist, and cannot be stored.
                if (!create) return std::nullopt;
                throw plugin::error(HF_ERR_INVALID_ARGUMENT,
                                    "unable to create directory " + quote(path) +
                                        ": an object of that name exists, and a local repository cannot hold "
                                        "both a key and keys below it");
            }
        }
        throw_errno("unable to open directory " + quote(path), err);
    }
    throw plugin::error(HF_ERR_IO, "unable to open directory " + quote(path) +
                                       ": it keeps disappearing while being created");
}

}  // namespace

std::string directory::child(std::string_view name) const {
    std::string out = path;
    if (out.empty() || out.back() != '/') out += '/';
    out += name;
    return out;
}

void sync_directory(const directory& dir) {
    if (::fsync(dir.fd.get()) != 0) throw_errno("unable to sync directory " + quote(dir.path), errno);
}

root_directory::root_directory(std::string path, bool create) : path_(std::move(path)) {
    if (create) make_directories(path_);
    int fd = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT)
            throw plugin::error(HF_ERR_NOT_FOUND, "repository directory " + quote(path_) +
                                                      " does not exist (set \"create\": true to create it)");
        if (err == ENOTDIR)
            throw_errno(HF_ERR_INVALID_ARGUMENT, "repository path " + quote(path_) + " is not a directory", err);
        throw_errno("unable to open repository directory " + quote(path_), err);
    }
    fd_ = file_descriptor(fd);
}

std::string root_directory::path_of(std::string_view relative) const {
    return directory{{}, path_}.child(relative);
}

directory root_directory::open_root() const {
    int fd = ::openat(fd_.get(), ".", directory_flags);
    if (fd < 0) throw_errno("unable to open repository directory " + quote(path_), errno);
    return directory{file_descriptor(fd), path_};
}

std::optional<directory> root_directory::open_directory(std::string_view relative, bool create) const {
    directory current = open_root();
    while (!relative.empty()) {
        std::size_t slash = relative.find('/');
        std::string_view segment = relative.substr(0, slash);
        relative = slash == std::string_view::npos ? std::string_view() : relative.substr(slash + 1);
        auto next = open_child(current, segment, create);
        if (!next) return std::nullopt;
        current = std::move(*next);
    }
    return current;
}

}  // namespace holdfast::local
