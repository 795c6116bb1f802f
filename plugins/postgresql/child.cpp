#include "child.hpp"

#include <holdfast/plugin/sigpipe_guard.hpp>

#include <holdfast/plugin/common.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string_view>

extern char** environ;

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

constexpr std::size_t tail_lines = 64;
constexpr int poll_ms = 200;

// The programs read and write their pipes with stdio, whose buffer for a pipe is one 4 KiB
// page: a 1.2 GB archive then costs each side about 300,000 reads or writes and as many
// wake-ups. So a program with a piped stdin or stdout runs under coreutils' stdbuf with
// larger buffers, and its pipes hold 1 MiB, which lets it run ahead of us.
// - Input (pg_restore reading an archive): 1 MiB. On the scale-10 benchmark that cut a
//   restore's CPU time from 7.1 to 5.5 s (docs/benchmarks.md).
// - Output (pg_dump writing one): 128 KiB, which stays in the L2 cache between pg_dump's
//   copy into it and the kernel's copy out; 1 MiB cost pg_dump more user time than it saved.
//   A backup's writes to its pipe fell from 320,000 to about 10,000, and the CPU time it
//   cost the machine by about 4%.
constexpr int pipe_bytes = 1 << 20;
constexpr int input_buffer_bytes = 1 << 20;
constexpr int output_buffer_bytes = 128 << 10;

// stdbuf from PATH; empty when there is none (then programs run unwrapped).
const std::filesystem::path& stdbuf_program() {
    static const std::filesystem::path found = [] {
        const char* path = std::getenv("PATH");
        std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
        while (!dirs.empty()) {
            const auto colon = dirs.find(':');
            const std::string_view dir = dirs.substr(0, colon);
            dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
            if (dir.empty()) continue;
            const std::filesystem::path candidate = std::filesystem::path(dir) / "stdbuf";
            if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        }
        return std::filesystem::path{};
    }();
    return found;
}

void check_spawn(int rc) {
    if (rc != 0) throw error(HF_ERR_INTERNAL, std::string("posix_spawn setup failed: ") + std::strerror(rc));
}

std::pair<plugin::unique_fd, plugin::unique_fd> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw error(HF_ERR_IO, std::string("cannot create a pipe: ") + std::strerror(errno));
    return {plugin::unique_fd(fds[0]), plugin::unique_fd(fds[1])};
}

// posix_spawn's C structures, released on every path.
struct spawn_setup {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    spawn_setup() {
        check_spawn(posix_spawn_file_actions_init(&actions));
        check_spawn(posix_spawnattr_init(&attributes));
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        // Own process group (one signal stops the program and anything it starts), default
        // dispositions and an empty mask: the host's signal handling is not the child's.
        check_spawn(posix_spawnattr_setflags(&attributes,
                                             POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
        check_spawn(posix_spawnattr_setpgroup(&attributes, 0));
        check_spawn(posix_spawnattr_setsigmask(&attributes, &none));
        check_spawn(posix_spawnattr_setsigdefault(&attributes, &all));
    }
    ~spawn_setup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }
    spawn_setup(const spawn_setup&) = delete;
    spawn_setup& operator=(const spawn_setup&) = delete;
};

std::vector<std::string> environment_with(const keyword_pairs& extra) {
    std::vector<std::string> out;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const std::string_view name = text.substr(0, text.find('='));
        bool replaced = false;
        for (const auto& [extra_name, value] : extra) replaced = replaced || extra_name == name;
        if (!replaced) out.emplace_back(text);
    }
    for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
    return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// Waits until `fd` is ready for `events`, asking `cancelled` every poll_ms.
void await(int fd, short events, const std::function<bool()>& cancelled) {
    for (;;) {
        if (cancelled && cancelled()) throw error(HF_ERR_CANCELLED, "cancelled by the user");
        pollfd p{fd, events, 0};
        const int rc = ::poll(&p, 1, poll_ms);
        if (rc > 0) return;
        if (rc < 0 && errno != EINTR) throw error(HF_ERR_IO, std::string("poll failed: ") + std::strerror(errno));
    }
}

}  // namespace

std::unique_ptr<child> child::start(const program_run& run) {
    const std::string name = run.executable.filename().string();
    std::unique_ptr<child> c(new child(name));
    spawn_setup setup;
    std::pair<plugin::unique_fd, plugin::unique_fd> in, out;
    auto err = make_pipe();
    if (run.pipe_stdin) {
        in = make_pipe();
        // Best effort: an unprivileged process may not exceed /proc/sys/fs/pipe-max-size.
        ::fcntl(in.second.get(), F_SETPIPE_SZ, pipe_bytes);
        check_spawn(posix_spawn_file_actions_adddup2(&setup.actions, in.first.get(), 0));
    } else {
        check_spawn(posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0));
    }
    if (run.pipe_stdout) {
        out = make_pipe();
        ::fcntl(out.first.get(), F_SETPIPE_SZ, pipe_bytes);  // best effort, as above
        check_spawn(posix_spawn_file_actions_adddup2(&setup.actions, out.second.get(), 1));
    } else {
        check_spawn(posix_spawn_file_actions_addopen(&setup.actions, 1, "/dev/null", O_WRONLY, 0));
    }
    check_spawn(posix_spawn_file_actions_adddup2(&setup.actions, err.second.get(), 2));
    check_spawn(posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3));

    std::vector<std::string> argv;
    std::filesystem::path program = run.executable;
    // Only a program that exists is wrapped: one that does not fails below as itself.
    if ((run.pipe_stdin || run.pipe_stdout) && !stdbuf_program().empty() &&
        ::access(run.executable.c_str(), X_OK) == 0) {
        program = stdbuf_program();
        argv = {program.string()};
        if (run.pipe_stdin) argv.push_back("-i" + std::to_string(input_buffer_bytes));
        if (run.pipe_stdout) argv.push_back("-o" + std::to_string(output_buffer_bytes));
    }
    argv.push_back(run.executable.string());
    argv.insert(argv.end(), run.arguments.begin(), run.arguments.end());
    std::vector<std::string> env = environment_with(run.environment);
    auto argv_c = pointers(argv);
    auto env_c = pointers(env);
    const int rc = posix_spawn(&c->pid_, program.c_str(), &setup.actions, &setup.attributes, argv_c.data(),
                               env_c.data());
    if (rc != 0) {
        c->pid_ = -1;
        throw error(HF_ERR_NOT_FOUND, "cannot run " + run.executable.string() + ": " + std::strerror(rc));
    }
    // Our copies of the child's ends must go, or we would never see end of file.
    c->stdin_ = std::move(in.second);
    c->stdout_ = std::move(out.first);
    c->stderr_ = std::move(err.first);
    c->stderr_reader_ = std::thread([raw = c.get()] { raw->collect_stderr(); });
    return c;
}

child::~child() {
    if (pid_ > 0 && !reaped_) stop();
    if (stderr_reader_.joinable()) stderr_reader_.join();
}

void child::collect_stderr() {
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(stderr_.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::lock_guard lock(tail_mutex_);
        partial_line_.append(buffer, static_cast<std::size_t>(n));
        std::size_t newline;
        while ((newline = partial_line_.find('\n')) != std::string::npos) {
            tail_.push_back(partial_line_.substr(0, newline));
            partial_line_.erase(0, newline + 1);
            if (tail_.size() > tail_lines) tail_.pop_front();
        }
    }
    std::lock_guard lock(tail_mutex_);
    if (!partial_line_.empty()) tail_.push_back(std::exchange(partial_line_, {}));
}

std::size_t child::read(std::span<std::byte> buffer, const std::function<bool()>& cancelled) {
    for (;;) {
        await(stdout_.get(), POLLIN, cancelled);
        const ssize_t n = ::read(stdout_.get(), buffer.data(), buffer.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR && errno != EAGAIN)
            throw error(HF_ERR_IO, "reading the output of " + name_ + ": " + std::strerror(errno));
    }
}

bool child::write(std::span<const std::byte> data, const std::function<bool()>& cancelled) {
    const plugin::sigpipe_guard guard;  // a program that died must not take the host with it
    while (!data.empty()) {
        await(stdin_.get(), POLLOUT, cancelled);
        const ssize_t n = ::write(stdin_.get(), data.data(), data.size());
        if (n >= 0) {
            data = data.subspan(static_cast<std::size_t>(n));
            continue;
        }
        if (errno == EPIPE) return false;
        if (errno != EINTR && errno != EAGAIN)
            throw error(HF_ERR_IO, "writing to " + name_ + ": " + std::strerror(errno));
    }
    return true;
}

void child::raw_wait() {
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
}

bool child::wait_for(std::chrono::milliseconds limit) {
    if (reaped_) return true;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    do {
        if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
            reaped_ = true;
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

bool child::wait() {
    stdin_.reset();
    if (!reaped_) raw_wait();
    if (stderr_reader_.joinable()) stderr_reader_.join();
    return WIFEXITED(status_) && WEXITSTATUS(status_) == 0;
}

void child::stop() {
    stdin_.reset();
    stdout_.reset();
    if (reaped_ || pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);
    // Exited-but-unreaped keeps the group id ours, so the SIGKILL below cannot reach an
    // unrelated process group; it ends pg_restore -j's workers as well as the leader.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    siginfo_t info{};
    while (std::chrono::steady_clock::now() < deadline) {
        info.si_pid = 0;
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid_, SIGKILL);
    raw_wait();
}

std::string child::stderr_text() const {
    std::lock_guard lock(tail_mutex_);
    std::string out;
    for (const auto& line : tail_) out += (out.empty() ? "" : "\n") + line;
    return out;
}

std::string child::failure() const {
    std::string how = WIFSIGNALED(status_) ? "was killed by signal " + std::to_string(WTERMSIG(status_))
                                           : "exited with status " + std::to_string(WEXITSTATUS(status_));
    std::string last;
    {
        std::lock_guard lock(tail_mutex_);
        // The last lines that say something: pg_restore ends with a summary of errors.
        for (auto it = tail_.rbegin(); it != tail_.rend() && last.size() < 600; ++it)
            if (!it->empty()) last = *it + (last.empty() ? "" : " | ") + last;
    }
    return name_ + " " + how + (last.empty() ? "" : ": " + last);
}

}  // namespace holdfast::engines::postgresql
