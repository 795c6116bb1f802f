#include "supervision.hpp"

#include "failure.hpp"
#include "pipe_io.hpp"

#include <string>
#include <thread>

namespace holdfast::engines::exec {

namespace {
constexpr std::size_t stderr_chunk_bytes = 64 * 1024;
}  // namespace

supervision::supervision(const char* role, const command& cmd, const settings& config,
                         const holdfast::plugin::host_services& host)
    : role_(role), cmd_(cmd), host_(host), dog_(host, config.timeout), buffer_(stderr_chunk_bytes) {}

void supervision::watch(child_process& child) {
    switch (dog_.check()) {
        case watchdog::verdict::carry_on: return;
        case watchdog::verdict::cancelled:
            child.terminate(kill_grace);
            throw holdfast::plugin::error(HF_ERR_CANCELLED,
                                          std::string("cancelled: ") + role_ + " '" + cmd_.name() + "' was stopped");
        case watchdog::verdict::timed_out:
            child.terminate(kill_grace);
            fail(dog_.timeout_message());
    }
}

void supervision::collect_stderr(child_process& child, const char* what) {
    read_result r = read_available(child.stderr_fd(), buffer_, what);
    tail_.append(std::span<const std::byte>(buffer_).first(r.bytes));
    if (r.eof) child.close_stderr();
}

exit_status supervision::wait_for_exit(child_process& child) {
    for (;;) {
        if (auto status = child.try_wait()) return *status;
        watch(child);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void supervision::fail(std::string_view what) const { fail_command(HF_ERR_FAILED, role_, cmd_, what, tail_, host_); }

}  // namespace holdfast::engines::exec
