#include "run_process.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace holdfast::testing {
namespace {

// A pipe whose ends close themselves.
struct pipe_pair {
    int fd[2] = {-1, -1};
    pipe_pair() {
        if (pipe(fd) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    ~pipe_pair() {
        close_end(0);
        close_end(1);
    }
    void close_end(int i) {
        if (fd[i] >= 0) ::close(fd[i]);
        fd[i] = -1;
    }
};

}  // namespace

process_result run_process(const std::vector<std::string>& argv, const process_options& options) {
    pipe_pair in, out, err;
    // Build argv/envp before fork: the child may only call async-signal-safe functions.
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto& [key, value] : options.env) {
        if (value) env[key] = *value;
        else env.erase(key);
    }
    std::vector<std::string> env_strings;
    for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        dup2(in.fd[0], 0);
        dup2(out.fd[1], 1);
        dup2(err.fd[1], 2);
        for (int fd : {in.fd[0], in.fd[1], out.fd[0], out.fd[1], err.fd[0], err.fd[1]}) ::close(fd);
        if (!options.working_directory.empty() && chdir(options.working_directory.c_str()) != 0) _exit(126);
        execve(args[0], args.data(), envp.data());
        _exit(127);
    }
    in.close_end(0);
    out.close_end(1);
    err.close_end(1);
    if (!options.input.empty()) {
        std::size_t written = 0;
        while (written < options.input.size()) {
            ssize_t n = ::write(in.fd[1], options.input.data() + written, options.input.size() - written);
            if (n <= 0) break;  // the child stopped reading: that is its business
            written += static_cast<std::size_t>(n);
        }
    }
    in.close_end(1);

    process_result result;
    pollfd fds[2] = {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    char buffer[65536];
    while (open > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            } else {
                fds[i].fd = -1;
                --open;
            }
        }
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::string holdfast_exe() {
    const char* exe = std::getenv("HOLDFAST_EXE");
    return exe != nullptr ? exe : HOLDFAST_EXE_DEFAULT;
}

process_result run_holdfast(const std::vector<std::string>& args, const process_options& options) {
    std::vector<std::string> argv{holdfast_exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, options);
}

}  // namespace holdfast::testing
