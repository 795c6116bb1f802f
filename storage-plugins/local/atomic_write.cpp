#include "atomic_write.hpp"

#include "errors.hpp"
#include "object_key.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>

namespace holdfast::local {
namespace {

// Objects are backup data: readable by the owner's group at most.
constexpr mode_t file_mode = 0640;

// Bytes per write(): keeps cancellation responsive on large objects.
constexpr std::size_t write_chunk = std::size_t{8} << 20;

// Objects from this size on (packs) are written with O_DIRECT, past the page cache. Copying
// into the page cache is the expensive part of a buffered write: 448 MB cost 1.3 s of system
// CPU here, against 0.13 s with O_DIRECT (docs/benchmarks.md), in a backup that is CPU-bound.
// And a backup does not read its packs back, so caching them would only push the database's
// own pages out. Smaller objects (indexes, snapshots, locks) are written buffered.
constexpr std::size_t direct_threshold = std::size_t{1} << 20;
// The aligned copy goes in pieces of this size: small, as each upload in flight holds one.
constexpr std::size_t direct_piece = std::size_t{1} << 20;
// O_DIRECT wants the buffer, the offset and the length aligned to the device's logical block
// size; 4096 covers the usual 512 and 4096.
constexpr std::size_t direct_alignment = 4096;

constexpr std::size_t round_up(std::size_t n, std::size_t to) noexcept { return (n + to - 1) / to * to; }

// Memory aligned for O_DIRECT: pages of its own, mapped for one put and unmapped after, so
// it never lingers in the allocator's arenas between packs.
class aligned_buffer {
public:
    explicit aligned_buffer(std::size_t size) : size_(round_up(size, direct_alignment)) {
        void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        data_ = static_cast<std::byte*>(p);
    }
    aligned_buffer(const aligned_buffer&) = delete;
    aligned_buffer& operator=(const aligned_buffer&) = delete;
    ~aligned_buffer() { ::munmap(data_, size_); }
    std::byte* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }

private:
    std::size_t size_;
    std::byte* data_ = nullptr;
};

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
        if (data.size() >= direct_threshold && write_direct(data, host)) return;
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

    // Writes `data` with O_DIRECT through an aligned copy, the last block padded and the
    // padding cut off again. Returns false with the file still empty when the file system
    // refuses O_DIRECT (EINVAL: some FUSE and network file systems, older tmpfs); the caller
    // then writes buffered.
    bool write_direct(std::span<const std::byte> data, const plugin::host_services& host) {
        const int flags = ::fcntl(fd_.get(), F_GETFL);
        if (flags < 0 || ::fcntl(fd_.get(), F_SETFL, flags | O_DIRECT) != 0) return false;
        aligned_buffer piece(std::min(data.size(), direct_piece));
        std::size_t offset = 0;  // always a multiple of direct_alignment
        bool refused = false;
        while (offset < data.size() && !refused) {
            host.throw_if_cancelled();
            const std::size_t count = std::min(data.size() - offset, piece.size());
            const std::size_t padded = round_up(count, direct_alignment);
            std::memcpy(piece.data(), data.data() + offset, count);
            std::memset(piece.data() + count, 0, padded - count);
            const ssize_t n = ::pwrite(fd_.get(), piece.data(), padded, static_cast<off_t>(offset));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EINVAL) throw_errno("unable to write " + quote(path()), errno);
            const auto written = static_cast<std::size_t>(std::max<ssize_t>(n, 0));
            if (written >= count) {
                offset += count;
            } else if (written > 0 && written % direct_alignment == 0) {
                offset += written;  // short but aligned: the rest follows
            } else {
                refused = true;  // EINVAL, or a short write off the alignment: start over buffered
            }
        }
        if (::fcntl(fd_.get(), F_SETFL, flags) != 0) throw_errno("unable to write " + quote(path()), errno);
        // Refused: back to an empty file. Otherwise: the padding of the last block goes.
        if (::ftruncate(fd_.get(), refused ? 0 : static_cast<off_t>(data.size())) != 0)
            throw_errno("unable to write " + quote(path()), errno);
        return !refused;
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
