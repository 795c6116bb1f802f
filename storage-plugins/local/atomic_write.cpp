#include "atomic_write.hpp"

#include "errors.hpp"
#include "object_key.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <string>

namespace holdfast::local {
namespace {

// Objects are backup data: readable by the owner's group at most.
constexpr mode_t file_mode = 0640;

// Bytes per write(): keeps cancellation responsive on large objects.
constexpr std::size_t write_chunk = std::size_t{8} << 20;

std::string random_suffix() {
    std::array<std::uint8_t, 8> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(HF_ERR_INTERNAL, "unable to get random bytes for a temporary file name", errno);
        }
        filled += static_cast<std::size_t>(n);
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 0xF];
    }
    return out;
}

// A temporary file in `dir`, removed on destruction unless commit() moved it
// into place: every failure path, exceptions included, cleans up.
class temp_file {
public:
    explicit temp_file(const directory& dir) : dir_(dir) {
        // O_EXCL: a name collision (or a leftover from a crash) is retried
        // under a new name, never shared with another writer.
        for (int attempt = 0; attempt < 8; ++attempt) {
            name_ = std::string(temp_prefix) + random_suffix();
            int fd = ::openat(dir_.fd.get(), name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                              file_mode);
            if (fd >= 0) {
                fd_ = file_descriptor(fd);
                return;
            }
            if (errno != EEXIST) throw_errno("unable to create temporary file " + quote(path()), errno);
        }
        throw plugin::error(HF_ERR_IO, "unable to create a temporary file in " + quote(dir_.path) +
                                           ": every random name tried already exists");
    }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;
    ~temp_file() {
        fd_.reset();
        if (!name_.empty()) ::unlinkat(dir_.fd.get(), name_.c_str(), 0);
    }

    std::string path() const { return dir_.child(name_); }
    const std::string& name() const noexcept { return name_; }

    void write(std::span<const std::byte> data, const plugin::host_services& host) {
        while (!data.empty()) {
            host.throw_if_cancelled();
            std::size_t size = std::min(data.size(), write_chunk);
            ssize_t n = ::write(fd_.get(), data.data(), size);
            if (n < 0) {
                if (errno == EINTR) continue;
                throw_errno("unable to write " + quote(path()), errno);
            }
            data = data.subspan(static_cast<std::size_t>(n));
        }
    }

    // Data and size on disk before the name becomes visible: otherwise a crash
    // right after the rename could expose an empty or partial file.
    void sync() {
        if (::fsync(fd_.get()) != 0) throw_errno("unable to sync " + quote(path()), errno);
        fd_.reset();
    }

    // The file now lives under another name: nothing to clean up.
    void committed() noexcept { name_.clear(); }

private:
    const directory& dir_;
    std::string name_;
    file_descriptor fd_;
};

[[noreturn]] void already_exists(const std::string& target) {
    throw plugin::error(HF_ERR_ALREADY_EXISTS, "object " + quote(target) + " already exists");
}

[[noreturn]] void move_failed(const temp_file& temp, const std::string& target, int err) {
    if (err == EISDIR || err == ENOTEMPTY || err == ENOTDIR)
        throw_errno(HF_ERR_INVALID_ARGUMENT,
                    "unable to store " + quote(target) +
                        ": a directory of that name holds other objects, and a local repository cannot hold "
                        "both a key and keys below it",
                    err);
    throw_errno("unable to move " + quote(temp.path()) + " to " + quote(target), err);
}

// Put temp in place only if `name` is absent; HF_ERR_ALREADY_EXISTS otherwise.
void move_if_absent(const directory& dir, temp_file& temp, const std::string& name) {
    const std::string target = dir.child(name);
#ifdef RENAME_NOREPLACE
    if (::renameat2(dir.fd.get(), temp.name().c_str(), dir.fd.get(), name.c_str(), RENAME_NOREPLACE) == 0) {
        temp.committed();
        return;
    }
    if (errno == EEXIST) already_exists(target);
    // EINVAL/ENOSYS/ENOTSUP: this file system lacks the flag; fall back to link(2).
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) move_failed(temp, target, errno);
#endif
    if (::linkat(dir.fd.get(), temp.name().c_str(), dir.fd.get(), name.c_str(), 0) != 0) {
        if (errno == EEXIST) already_exists(target);
        move_failed(temp, target, errno);
    }
    // The temporary name is unlinked by temp's destructor; the object stays.
}

}  // namespace

void atomic_write(const directory& dir, std::string_view name, std::span<const std::byte> data, bool if_absent,
                  const plugin::host_services& host) {
    const std::string name_z(name);
    if (if_absent) {
        // Cheap early answer; the decision that counts is the atomic one below.
        struct stat st {};
        if (::fstatat(dir.fd.get(), name_z.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
            already_exists(dir.child(name));
    }

    temp_file temp(dir);
    temp.write(data, host);
    temp.sync();
    host.throw_if_cancelled();

    if (if_absent) {
        move_if_absent(dir, temp, name_z);
    } else {
        if (::renameat(dir.fd.get(), temp.name().c_str(), dir.fd.get(), name_z.c_str()) != 0)
            move_failed(temp, dir.child(name), errno);
        temp.committed();
    }
    // The new name is durable only once its directory is synced.
    sync_directory(dir);
}

}  // namespace holdfast::local
