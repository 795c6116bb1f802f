#include "output_tail.hpp"

namespace holdfast::engines::exec {

namespace {

// Messages end up in JSON and on terminals: replace what is not valid UTF-8
// or is a control character.
std::string printable(const std::string& raw) {
    std::string out;
    std::size_t i = 0;
    while (i < raw.size()) {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c < 0x80) {
            out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
            ++i;
            continue;
        }
        std::size_t length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        bool valid = length != 0 && i + length <= raw.size() && c >= 0xC2 && c <= 0xF4;
        for (std::size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(raw[i + k]) & 0xC0) == 0x80;
        if (valid) {
            out.append(raw, i, length);
            i += length;
        } else {
            out += '?';
            ++i;
        }
    }
    return out;
}

}  // namespace

void output_tail::end_line() {
    if (!current_.empty() && current_.back() == '\r') current_.pop_back();
    if (!current_.empty()) lines_.push_back(std::move(current_));  // blank lines tell nothing
    current_.clear();
    if (lines_.size() > max_lines_) lines_.pop_front();
}

void output_tail::append(std::span<const std::byte> data) {
    for (std::byte b : data) {
        const char c = static_cast<char>(b);
        if (c == '\n') {
            end_line();
        } else if (current_.size() < max_line_bytes_) {
            current_ += c;  // the rest of an over-long line is dropped
        }
    }
}

std::vector<std::string> output_tail::lines() const {
    std::vector<std::string> out;
    for (const auto& line : lines_)
        if (!line.empty()) out.push_back(printable(line));
    if (!current_.empty()) out.push_back(printable(current_));
    if (out.size() > max_lines_) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(max_lines_));
    return out;
}

std::string output_tail::summary(std::size_t budget) const {
    const std::vector<std::string> all = lines();
    std::string out;
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        std::string next = out.empty() ? *it : *it + " | " + out;
        if (next.size() > budget) {
            if (out.empty() && budget > 3) {  // one huge line: keep its end, cut on a character boundary
                std::size_t start = it->size() - (budget - 3);
                while (start < it->size() && (static_cast<unsigned char>((*it)[start]) & 0xC0) == 0x80) ++start;
                out = "..." + it->substr(start);
            }
            break;
        }
        out = std::move(next);
    }
    return out;
}

}  // namespace holdfast::engines::exec
