#include "child_process.hpp"

#include <holdfast/plugin/common.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace holdfast::engines::exec {

using holdfast::plugin::error;

namespace {

struct pipe_pair {
    plugin::unique_fd read_end, write_end;
};

pipe_pair make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw error(HF_ERR_IO, std::string("cannot create a pipe: ") + std::strerror(errno));
    return {plugin::unique_fd(fds[0]), plugin::unique_fd(fds[1])};
}

void make_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        throw error(HF_ERR_IO, std::string("cannot configure a pipe: ") + std::strerror(errno));
}

// posix_spawn's C structures, released on every path.
class file_actions {
public:
    file_actions() { check(posix_spawn_file_actions_init(&actions_)); }
    ~file_actions() { posix_spawn_file_actions_destroy(&actions_); }
    file_actions(const file_actions&) = delete;
    file_actions& operator=(const file_actions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }
    static void check(int rc) {
        if (rc != 0) throw error(HF_ERR_INTERNAL, std::string("posix_spawn setup failed: ") + std::strerror(rc));
    }

private:
    posix_spawn_file_actions_t actions_;
};

class spawn_attributes {
public:
    spawn_attributes() {
        file_actions::check(posix_spawnattr_init(&attributes_));
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        file_actions::check(posix_spawnattr_setflags(
            &attributes_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
        file_actions::check(posix_spawnattr_setpgroup(&attributes_, 0));
        file_actions::check(posix_spawnattr_setsigmask(&attributes_, &none));
        file_actions::check(posix_spawnattr_setsigdefault(&attributes_, &all));
    }
    ~spawn_attributes() { posix_spawnattr_destroy(&attributes_); }
    spawn_attributes(const spawn_attributes&) = delete;
    spawn_attributes& operator=(const spawn_attributes&) = delete;
    const posix_spawnattr_t* get() const { return &attributes_; }

private:
    posix_spawnattr_t attributes_;
};

// This process's environment with `extra` set on top (same names replaced).
std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& extra) {
    std::vector<std::string> out;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        std::string_view name = text.substr(0, text.find('='));
        bool replaced = false;
        for (const auto& [extra_name, value] : extra) replaced = replaced || extra_name == name;
        if (!replaced) out.emplace_back(text);
    }
    for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

}  // namespace

std::string exit_status::describe() const {
    if (!signaled) return "exit status " + std::to_string(value);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
    const char* name = ::sigabbrev_np(value);
    return "signal " + std::to_string(value) + (name != nullptr ? " (SIG" + std::string(name) + ")" : "");
#else
    return "signal " + std::to_string(value);
#endif
}

child_process child_process::spawn(const spawn_options& options) {
    const std::string name = options.argv.empty() ? options.executable.string() : options.argv.front();
    std::optional<pipe_pair> in;
    if (options.pipe_stdin) in = make_pipe();
    std::optional<pipe_pair> out;
    if (!options.stdout_into_stderr) out = make_pipe();
    pipe_pair err = make_pipe();

    file_actions actions;
    if (in)
        file_actions::check(posix_spawn_file_actions_adddup2(actions.get(), in->read_end.get(), 0));
    else
        file_actions::check(posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0));
    file_actions::check(
        posix_spawn_file_actions_adddup2(actions.get(), out ? out->write_end.get() : err.write_end.get(), 1));
    file_actions::check(posix_spawn_file_actions_adddup2(actions.get(), err.write_end.get(), 2));
    if (!options.working_directory.empty())
        file_actions::check(posix_spawn_file_actions_addchdir_np(actions.get(), options.working_directory.c_str()));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Descriptors the host opened without O_CLOEXEC (repository files,
    // sockets) are none of the command's business.
    file_actions::check(posix_spawn_file_actions_addclosefrom_np(actions.get(), 3));
#endif
    spawn_attributes attributes;

    std::vector<std::string> argv = options.argv;
    std::vector<std::string> environment = child_environment(options.extra_environment);
    std::vector<char*> argv_c = c_strings(argv);
    std::vector<char*> env_c = c_strings(environment);

    child_process child;
    int rc = posix_spawn(&child.pid_, options.executable.c_str(), actions.get(), attributes.get(), argv_c.data(),
                         env_c.data());
    if (rc != 0) {
        child.pid_ = -1;
        throw error(rc == ENOENT || rc == EACCES || rc == ENOEXEC ? HF_ERR_NOT_FOUND : HF_ERR_FAILED,
                    "cannot run '" + name + "' (" + options.executable.string() + "): " + std::strerror(rc));
    }
    // The child has its copies; ours of the child's ends must go, or we would
    // never see end-of-file on its output.
    if (in) {
        make_nonblocking(in->write_end.get());
        child.stdin_ = std::move(in->write_end);
    }
    if (out) {
        make_nonblocking(out->read_end.get());
        child.stdout_ = std::move(out->read_end);
    }
    make_nonblocking(err.read_end.get());
    child.stderr_ = std::move(err.read_end);
    return child;
}

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      status_(other.status_),
      stdin_(std::move(other.stdin_)),
      stdout_(std::move(other.stdout_)),
      stderr_(std::move(other.stderr_)) {}

child_process::~child_process() {
    if (pid_ <= 0) return;
    stdin_.reset();
    stdout_.reset();
    stderr_.reset();
    if (!try_wait()) signal_group(SIGKILL);
    int ignored = 0;
    while (::waitpid(pid_, &ignored, 0) < 0 && errno == EINTR) {
    }
}

void child_process::signal_group(int signal) const noexcept {
    if (pid_ > 0) ::kill(-pid_, signal);
}

std::optional<exit_status> child_process::try_wait() {
    if (status_ || pid_ <= 0) return status_;
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0)
        return std::nullopt;
    if (info.si_code == CLD_EXITED)
        status_ = exit_status{false, info.si_status};
    else
        status_ = exit_status{true, info.si_status};
    return status_;
}

exit_status child_process::terminate(std::chrono::milliseconds grace) {
    // Closed pipes first: a command blocked writing output would otherwise
    // have to be killed before it can notice the signal.
    stdin_.reset();
    stdout_.reset();
    stderr_.reset();
    if (!try_wait()) {
        signal_group(SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        while (!try_wait() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // The leader is still unreaped, so the group id is still ours to signal.
    signal_group(SIGKILL);
    while (!try_wait()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return *status_;
}

}  // namespace holdfast::engines::exec
