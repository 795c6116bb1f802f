#include "cli/password_prompt.hpp"

#include "core/cancellation.hpp"
#include "core/error.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace holdfast::cli {
namespace {

// The controlling terminal, opened for reading and writing; closed on scope exit.
class terminal {
public:
    terminal() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) {
        if (fd_ < 0)
            throw error(std::string("cannot ask for the password: no terminal (/dev/tty: ") + std::strerror(errno) +
                        "); set HOLDFAST_PASSWORD or use --password-file or --password-command");
    }
    terminal(const terminal&) = delete;
    terminal& operator=(const terminal&) = delete;
    ~terminal() { ::close(fd_); }
    int fd() const noexcept { return fd_; }

    void write(std::string_view text) const noexcept {
        while (!text.empty()) {
            ssize_t n = ::write(fd_, text.data(), text.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // the prompt is a courtesy: failing to show it is not fatal
            text.remove_prefix(static_cast<std::size_t>(n));
        }
    }

private:
    int fd_;
};

// Turns echo off for its lifetime; the saved settings come back however the
// scope is left, so an error or Ctrl-C never leaves a silent terminal behind.
class echo_off {
public:
    explicit echo_off(int fd) : fd_(fd) {
        active_ = ::tcgetattr(fd_, &saved_) == 0;
        if (!active_) return;
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;  // the user still sees their Enter
        // TCSANOW, not TCSAFLUSH: a password typed (or pasted) before the
        // prompt appeared is kept, not silently thrown away.
        active_ = ::tcsetattr(fd_, TCSANOW, &quiet) == 0;
    }
    echo_off(const echo_off&) = delete;
    echo_off& operator=(const echo_off&) = delete;
    ~echo_off() {
        if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
    }

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

// Wipes a string's bytes before its memory is released.
void wipe(std::string& text) noexcept {
    volatile char* p = text.data();
    for (std::size_t i = 0; i < text.size(); ++i) p[i] = 0;
    text.clear();
}

std::string read_line(const terminal& tty, std::string_view prompt) {
    tty.write(prompt);
    echo_off guard(tty.fd());
    std::string line;
    for (;;) {
        char c = 0;
        ssize_t n = ::read(tty.fd(), &c, 1);
        if (n < 0 && errno == EINTR) {
            // Our SIGINT handler does not restart reads, so Ctrl-C lands here.
            if (cancellation_requested()) {
                wipe(line);
                throw error("interrupted while reading the password", exit_code::interrupted);
            }
            continue;
        }
        if (n < 0) {
            wipe(line);
            throw error(std::string("cannot read the password from the terminal: ") + std::strerror(errno));
        }
        if (n == 0) {
            if (line.empty()) throw error("no password entered (end of input)");
            break;
        }
        if (c == '\n') break;
        line.push_back(c);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace

bool stdin_is_terminal() noexcept { return ::isatty(STDIN_FILENO) == 1; }

std::string prompt_password(std::string_view prompt, bool confirm) {
    terminal tty;
    std::string first = read_line(tty, prompt);
    if (!confirm) return first;
    std::string second = read_line(tty, "Enter the same password again: ");
    const bool same = first == second;
    wipe(second);
    if (!same) {
        wipe(first);
        throw usage_error("the passwords did not match; nothing was changed");
    }
    return first;
}

}  // namespace holdfast::cli
