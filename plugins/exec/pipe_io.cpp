#include "pipe_io.hpp"

#include <holdfast/plugin/common.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace holdfast::engines::exec {

using holdfast::plugin::error;

read_result read_available(int fd, std::span<std::byte> buffer, const std::string& what) {
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n > 0) return {static_cast<std::size_t>(n), false};
        if (n == 0) return {0, true};
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return {0, false};
        throw error(HF_ERR_IO, what + ": " + std::strerror(errno));
    }
}

std::optional<std::size_t> write_available(int fd, std::span<const std::byte> data, const std::string& what) {
    for (;;) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        if (errno == EPIPE) return std::nullopt;
        throw error(HF_ERR_IO, what + ": " + std::strerror(errno));
    }
}

}  // namespace holdfast::engines::exec
