// The last lines a child wrote to stderr, in bounded memory: enough to tell
// the operator why a command failed, whatever it printed before.
#pragma once

#include <cstddef>
#include <deque>
#include <span>
#include <string>
#include <vector>

namespace holdfast::engines::exec {

class output_tail {
public:
    explicit output_tail(std::size_t max_lines = 20, std::size_t max_line_bytes = 512)
        : max_lines_(max_lines), max_line_bytes_(max_line_bytes) {}

    void append(std::span<const std::byte> data);

    // The kept lines, oldest first, with a last unterminated line included;
    // made printable (valid UTF-8, no control characters).
    std::vector<std::string> lines() const;

    // The newest lines joined with " | ", oldest first, at most `budget` bytes.
    std::string summary(std::size_t budget) const;

private:
    void end_line();

    std::size_t max_lines_;
    std::size_t max_line_bytes_;
    std::deque<std::string> lines_;
    std::string current_;
};

}  // namespace holdfast::engines::exec
