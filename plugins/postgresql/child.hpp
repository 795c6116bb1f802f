// One client program (pg_dump, pg_restore, ...) running as a child, owned: destroying a
// child that still runs kills its process group and reaps it, so no error path leaves a
// pg_restore writing into a database or a zombie behind. Its stderr is collected by a
// thread, keeping the last lines for error messages.
#pragma once

#include "connection.hpp"
#include <holdfast/plugin/unique_fd.hpp>

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace holdfast::engines::postgresql {

struct program_run {
    std::filesystem::path executable;
    std::vector<std::string> arguments;  // without argv[0]; never a password
    keyword_pairs environment;           // set on top of ours (PGPASSWORD lives here)
    // Otherwise /dev/null. A piped stdin or stdout runs the program under stdbuf with larger
    // stdio buffers (child.cpp).
    bool pipe_stdin = false;
    bool pipe_stdout = false;
};

class child {
public:
    // Throws plugin::error(HF_ERR_NOT_FOUND) when the program cannot be started.
    static std::unique_ptr<child> start(const program_run& run);

    child(child&&) = delete;
    child& operator=(child&&) = delete;
    ~child();

    // Reads up to buffer.size() bytes of stdout; 0 at its end. Polls `cancelled` while
    // waiting, and throws HF_ERR_CANCELLED when it says stop.
    std::size_t read(std::span<std::byte> buffer, const std::function<bool()>& cancelled);
    // Writes everything to stdin. Returns false when the program closed its input (it
    // failed; wait() says how). Throws HF_ERR_CANCELLED like read.
    bool write(std::span<const std::byte> data, const std::function<bool()>& cancelled);
    void close_stdin() { stdin_.reset(); }

    // Waits up to `limit` for the exit; true when it has exited (then wait() returns at once).
    bool wait_for(std::chrono::milliseconds limit);
    // Waits for the exit; true when it exited with status 0. Idempotent.
    bool wait();
    // "pg_restore exited with status 1: <last stderr lines>" after wait().
    std::string failure() const;
    // Everything it wrote to stderr, up to the last 64 lines.
    std::string stderr_text() const;

    // SIGTERM to the process group, SIGKILL after a grace period; then reaped.
    void stop();

private:
    explicit child(std::string name) : name_(std::move(name)) {}
    void collect_stderr();
    void raw_wait();

    std::string name_;
    pid_t pid_ = -1;
    bool reaped_ = false;
    int status_ = 0;
    plugin::unique_fd stdin_, stdout_, stderr_;
    std::thread stderr_reader_;
    mutable std::mutex tail_mutex_;
    std::deque<std::string> tail_;
    std::string partial_line_;
};

}  // namespace holdfast::engines::postgresql
