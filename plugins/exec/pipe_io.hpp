// One non-blocking read or write on a pipe, with EINTR retried and the
// "nothing now" and "other end gone" cases told apart.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace holdfast::engines::exec {

struct read_result {
    std::size_t bytes = 0;
    bool eof = false;  // bytes == 0 && !eof: nothing available right now
};
read_result read_available(int fd, std::span<std::byte> buffer, const std::string& what);

// Bytes written (0 when the pipe is full); nullopt when the reader has gone (EPIPE).
std::optional<std::size_t> write_available(int fd, std::span<const std::byte> data, const std::string& what);

}  // namespace holdfast::engines::exec
