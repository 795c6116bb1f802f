#include "ranged_read.hpp"

#include "errors.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

namespace holdfast::local {

void read_range(const file_descriptor& file, std::uint64_t size, std::uint64_t offset, std::uint64_t length,
                std::string_view key, std::string_view path, const plugin::bytes_callback& out,
                const plugin::host_services& host) {
    if (offset > size)
        throw plugin::error(HF_ERR_INVALID_ARGUMENT, "offset " + std::to_string(offset) + " is past the end of object " +
                                                         quote(key) + " (" + std::to_string(size) + " bytes)");
    const std::uint64_t end = offset + std::min(length, size - offset);

    std::vector<std::byte> buffer(static_cast<std::size_t>(std::min<std::uint64_t>(end - offset, read_chunk)));
    for (std::uint64_t position = offset; position < end;) {
        host.throw_if_cancelled();
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(end - position, buffer.size()));
        ssize_t n = ::pread(file.get(), buffer.data(), want, static_cast<off_t>(position));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("unable to read " + quote(path), errno);
        }
        // Puts replace files by rename, so the inode we hold never shrinks;
        // if it does, someone truncated it behind our back.
        if (n == 0)
            throw plugin::error(HF_ERR_IO, "unable to read " + quote(path) + ": file ended at byte " +
                                               std::to_string(position) + " of the " + std::to_string(size) +
                                               " it had when opened");
        out(std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(n)));
        position += static_cast<std::uint64_t>(n);
    }
}

}  // namespace holdfast::local
