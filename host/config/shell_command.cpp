#include "config/shell_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;  // NOLINT: POSIX declares it nowhere else

namespace holdfast::config {
namespace {

// An output larger than this is not a secret but a mistake (a command that
// prints a file, say); it is refused rather than held in memory.
constexpr std::size_t max_output = 1 << 20;

class unique_fd {
public:
    explicit unique_fd(int fd) : fd_(fd) {}
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

struct spawn_actions {
    posix_spawn_file_actions_t actions{};
    spawn_actions() { posix_spawn_file_actions_init(&actions); }
    spawn_actions(const spawn_actions&) = delete;
    spawn_actions& operator=(const spawn_actions&) = delete;
    ~spawn_actions() { posix_spawn_file_actions_destroy(&actions); }
};

struct spawn_attributes {
    posix_spawnattr_t attributes{};
    spawn_attributes() { posix_spawnattr_init(&attributes); }
    spawn_attributes(const spawn_attributes&) = delete;
    spawn_attributes& operator=(const spawn_attributes&) = delete;
    ~spawn_attributes() { posix_spawnattr_destroy(&attributes); }
};

std::string errno_text(const char* what, int error) { return std::string(what) + ": " + std::strerror(error); }

}  // namespace

std::variant<std::string, command_failure> run_shell_command(const std::string& command) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return command_failure{errno_text("cannot create a pipe", errno)};
    unique_fd read_end(fds[0]);
    unique_fd write_end(fds[1]);

    spawn_actions actions;
    posix_spawn_file_actions_addopen(&actions.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions.actions, write_end.get(), STDOUT_FILENO);
    // The child starts with default signal dispositions and no blocked signals,
    // whatever holdfast itself has set up (its SIGINT handler, an ignored SIGPIPE).
    spawn_attributes attributes;
    sigset_t all_signals;
    sigset_t no_signals;
    sigfillset(&all_signals);
    sigemptyset(&no_signals);
    posix_spawnattr_setsigdefault(&attributes.attributes, &all_signals);
    posix_spawnattr_setsigmask(&attributes.attributes, &no_signals);
    posix_spawnattr_setflags(&attributes.attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::string shell = "/bin/sh";
    std::string dash_c = "-c";
    std::string script = command;
    char* argv[] = {shell.data(), dash_c.data(), script.data(), nullptr};
    pid_t pid = 0;
    if (int rc = posix_spawn(&pid, shell.c_str(), &actions.actions, &attributes.attributes, argv, environ); rc != 0)
        return command_failure{errno_text("cannot start /bin/sh", rc)};
    write_end.reset();  // so the read below sees end-of-file when the command is done

    std::string output;
    bool too_long = false;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        // Keep draining a too-long output so the command is not killed by SIGPIPE.
        if (output.size() + static_cast<std::size_t>(n) > max_output) too_long = true;
        else output.append(buffer, static_cast<std::size_t>(n));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return command_failure{errno_text("cannot wait for the command", errno)};

    if (WIFSIGNALED(status)) return command_failure{"was killed by signal " + std::to_string(WTERMSIG(status))};
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return command_failure{"exited with status " + std::to_string(WEXITSTATUS(status))};
    if (too_long) return command_failure{"printed more than 1 MiB"};
    return output;
}

}  // namespace holdfast::config
