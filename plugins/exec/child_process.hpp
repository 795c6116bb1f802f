// One child process and the pipes to it, owned: destroying a child_process
// that is still running kills its process group and reaps it, so no error path
// leaves a command running or a zombie behind.
//
// The child runs in a new process group (so a signal reaches a whole shell
// pipeline), with default signal dispositions and an empty signal mask (a
// host that ignores or blocks signals must not pass that on), and with no file
// descriptors but 0, 1 and 2. The parent's pipe ends are non-blocking.
#pragma once

#include <holdfast/plugin/unique_fd.hpp>

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace holdfast::engines::exec {

struct exit_status {
    bool signaled = false;
    int value = 0;  // the exit code, or the signal number

    bool success() const noexcept { return !signaled && value == 0; }
    // A shell's $? convention: 128 + signal for a killed process.
    int code() const noexcept { return signaled ? 128 + value : value; }
    // "exit status 3", "signal 15 (SIGTERM)".
    std::string describe() const;
};

struct spawn_options {
    std::filesystem::path executable;  // absolute, already looked up
    std::vector<std::string> argv;
    // Set on top of this process's environment.
    std::vector<std::pair<std::string, std::string>> extra_environment;
    std::filesystem::path working_directory;  // empty: this process's
    bool pipe_stdin = false;                  // otherwise /dev/null
    bool stdout_into_stderr = false;          // one pipe collects both (restore)
};

class child_process {
public:
    // Throws plugin::error naming argv[0] when the program cannot be started.
    static child_process spawn(const spawn_options& options);

    child_process(child_process&& other) noexcept;
    child_process& operator=(child_process&&) = delete;
    child_process(const child_process&) = delete;
    ~child_process();

    pid_t pid() const noexcept { return pid_; }
    // The parent's pipe ends; -1 when there is none or it was closed.
    int stdin_fd() const noexcept { return stdin_.get(); }
    int stdout_fd() const noexcept { return stdout_.get(); }
    int stderr_fd() const noexcept { return stderr_.get(); }
    void close_stdin() noexcept { stdin_.reset(); }
    void close_stdout() noexcept { stdout_.reset(); }
    void close_stderr() noexcept { stderr_.reset(); }

    // The exit status once the child has exited; never blocks. The child stays
    // a zombie until destruction, so its process group id cannot be reused by
    // an unrelated process while we may still signal the group.
    std::optional<exit_status> try_wait();

    // Stop the child: close our pipe ends, SIGTERM the process group, wait up to
    // `grace` for the child, then SIGKILL whatever is left of the group.
    exit_status terminate(std::chrono::milliseconds grace);

private:
    child_process() = default;
    void signal_group(int signal) const noexcept;

    pid_t pid_ = -1;
    std::optional<exit_status> status_;
    plugin::unique_fd stdin_, stdout_, stderr_;
};

}  // namespace holdfast::engines::exec
