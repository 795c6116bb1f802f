#include "local_storage.hpp"

#include "atomic_write.hpp"
#include "errors.hpp"
#include "listing.hpp"
#include "object_info.hpp"
#include "object_key.hpp"
#include "ranged_read.hpp"
#include "settings.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace holdfast::local {
namespace {

root_directory open_root(std::string_view settings_json) {
    settings s = parse_settings(settings_json);
    return root_directory(std::move(s.path), s.create);
}

[[noreturn]] void not_found(const std::string& key, const std::string& path, std::string_view why = "does not exist") {
    throw plugin::error(HF_ERR_NOT_FOUND, "no object " + quote(key) + " (" + quote(path) + " " + std::string(why) + ")");
}

[[noreturn]] void symbolic_link(const std::string& path) {
    throw plugin::error(HF_ERR_PERMISSION, "refusing to follow symbolic link " + quote(path) + " inside the repository");
}

}  // namespace

local_storage::local_storage(std::string_view settings_json, plugin::host_services host)
    : host_(host), root_(open_root(settings_json)) {
    host_.debug("local storage: repository directory " + quote(root_.path()));
}

void local_storage::put(const std::string& key, std::span<const std::byte> data, std::uint32_t flags) {
    // A flag from a newer ABI would change what put means: refuse, never ignore.
    if ((flags & ~std::uint32_t{HF_PUT_IF_ABSENT}) != 0)
        throw plugin::error(HF_ERR_INVALID_ARGUMENT, "unsupported put flags " + std::to_string(flags));
    check_storable(key);
    const auto [dir_part, name] = split_key(key);
    // create == true: open_directory never returns nullopt.
    directory dir = *root_.open_directory(dir_part, true);
    atomic_write(dir, name, data, (flags & HF_PUT_IF_ABSENT) != 0, host_);
}

void local_storage::get(const std::string& key, std::uint64_t offset, std::uint64_t length,
                        const plugin::bytes_callback& out) {
    check_storable(key);
    const auto [dir_part, name] = split_key(key);
    auto dir = root_.open_directory(dir_part, false);
    if (!dir) not_found(key, root_.path_of(key));

    const std::string path = dir->child(name);
    const std::string name_z(name);
    // O_NOFOLLOW: never read through a link; O_NONBLOCK: a FIFO planted in
    // the repository must not hang the open (it is refused below).
    int fd = ::openat(dir->fd.get(), name_z.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) not_found(key, path);
        if (errno == ELOOP) symbolic_link(path);
        throw_errno("unable to open " + quote(path) + " for reading", errno);
    }
    file_descriptor file(fd);
    struct stat st {};
    if (::fstat(file.get(), &st) != 0) throw_errno("unable to inspect " + quote(path), errno);
    if (!S_ISREG(st.st_mode)) not_found(key, path, "is not a regular file");
    read_range(file, static_cast<std::uint64_t>(st.st_size), offset, length, key, path, out, host_);
}

void local_storage::list(const std::string& prefix, const plugin::object_callback& each) {
    list_objects(root_, prefix, each, host_);
}

std::optional<plugin::object_info> local_storage::stat(const std::string& key) {
    check_storable(key);
    const auto [dir_part, name] = split_key(key);
    auto dir = root_.open_directory(dir_part, false);
    if (!dir) return std::nullopt;

    const std::string name_z(name);
    struct stat st {};
    if (::fstatat(dir->fd.get(), name_z.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
        throw_errno("unable to inspect " + quote(dir->child(name)), errno);
    }
    if (S_ISLNK(st.st_mode)) symbolic_link(dir->child(name));
    if (!S_ISREG(st.st_mode)) return std::nullopt;
    return object_info_of(st);
}

void local_storage::remove(const std::string& key) {
    check_storable(key);
    const auto [dir_part, name] = split_key(key);
    auto dir = root_.open_directory(dir_part, false);
    if (!dir) return;  // missing is success, as on S3

    const std::string name_z(name);
    // Removes a symbolic link itself, never its target. Empty directories are
    // left in place: removing them would race with a concurrent put into them.
    if (::unlinkat(dir->fd.get(), name_z.c_str(), 0) != 0) {
        if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return;
        throw_errno("unable to remove " + quote(dir->child(name)), errno);
    }
    sync_directory(*dir);
}

}  // namespace holdfast::local
