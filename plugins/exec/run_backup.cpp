#include "run_backup.hpp"

#include "failure.hpp"
#include "json_fields.hpp"
#include "launch.hpp"
#include "output_tail.hpp"
#include "pipe_io.hpp"
#include "watchdog.hpp"

#include <nlohmann/json.hpp>

#include <poll.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

namespace holdfast::engines::exec {

using holdfast::plugin::error;

namespace {

constexpr std::size_t chunk_bytes = 1024 * 1024;
constexpr std::size_t stderr_chunk_bytes = 64 * 1024;
constexpr const char* role = "backup command";

// Everything one run needs while the command is alive.
class backup_run {
public:
    backup_run(const settings& config, const holdfast::plugin::host_services& host)
        : config_(config), cmd_(*config.backup_command), host_(host), dog_(host, config.timeout),
          out_buffer_(chunk_bytes), err_buffer_(stderr_chunk_bytes) {}

    void run(holdfast::plugin::backup_sink& sink) {
        host_.info(std::string("running ") + role + " '" + cmd_.name() + "'");
        child_process child = launch(cmd_, config_, purpose::backup);
        holdfast::plugin::output_stream out = sink.begin(config_.stream_name);
        pump(child, out);
        exit_status status = wait_for_exit(child);
        if (!status.success())
            fail_command(HF_ERR_FAILED, role, cmd_, "failed with " + status.describe(), tail_, host_);
        out.finish();  // only now: a failed command's output is abandoned with `out`

        nlohmann::json metadata = {
            {"command", cmd_.name()},
            {"form", cmd_.form_name()},
            {"exit_status", status.code()},
            {"bytes", bytes_},
            {"duration_ms", dog_.elapsed().count()},
            {"stream", config_.stream_name},
        };
        sink.set_metadata(to_json_text(metadata));
        host_.info(std::string(role) + " '" + cmd_.name() + "' wrote " + std::to_string(bytes_) + " bytes");
    }

private:
    // Stop the command if the host cancelled or the time is up.
    void watch(child_process& child) {
        switch (dog_.check()) {
            case watchdog::verdict::carry_on: return;
            case watchdog::verdict::cancelled:
                child.terminate(kill_grace);
                throw error(HF_ERR_CANCELLED, std::string("cancelled: ") + role + " '" + cmd_.name() + "' was stopped");
            case watchdog::verdict::timed_out:
                child.terminate(kill_grace);
                fail_command(HF_ERR_FAILED, role, cmd_, dog_.timeout_message(), tail_, host_);
        }
    }

    // Copy stdout into the stream and stderr into the tail until both close.
    void pump(child_process& child, holdfast::plugin::output_stream& out) {
        while (child.stdout_fd() >= 0 || child.stderr_fd() >= 0) {
            watch(child);
            pollfd fds[2] = {{child.stdout_fd(), POLLIN, 0}, {child.stderr_fd(), POLLIN, 0}};
            int ready = ::poll(fds, 2, dog_.poll_timeout_ms());  // a negative fd is skipped
            if (ready < 0 && errno != EINTR) throw error(HF_ERR_IO, std::string("poll: ") + std::strerror(errno));
            if (ready <= 0) continue;
            if (fds[0].revents != 0) read_stdout(child, out);
            if (fds[1].revents != 0) read_stderr(child);
        }
    }

    // Gather what is available, up to 1 MiB, then hand it to the sink at once:
    // large writes when the command is fast, no waiting when it is slow.
    void read_stdout(child_process& child, holdfast::plugin::output_stream& out) {
        std::size_t filled = 0;
        bool eof = false;
        while (filled < out_buffer_.size()) {
            read_result r = read_available(child.stdout_fd(), std::span(out_buffer_).subspan(filled),
                                           "reading the command's output");
            filled += r.bytes;
            eof = r.eof;
            if (r.bytes == 0) break;
        }
        if (filled > 0) {
            out.write(std::span<const std::byte>(out_buffer_).first(filled));
            bytes_ += filled;
            host_.progress("backup", bytes_, 0);
        }
        if (eof) child.close_stdout();
    }

    void read_stderr(child_process& child) {
        read_result r = read_available(child.stderr_fd(), err_buffer_, "reading the command's stderr");
        tail_.append(std::span<const std::byte>(err_buffer_).first(r.bytes));
        if (r.eof) child.close_stderr();
    }

    exit_status wait_for_exit(child_process& child) {
        for (;;) {
            if (auto status = child.try_wait()) return *status;
            watch(child);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

    const settings& config_;
    const command& cmd_;
    holdfast::plugin::host_services host_;
    watchdog dog_;
    std::vector<std::byte> out_buffer_;
    std::vector<std::byte> err_buffer_;
    output_tail tail_;
    std::uint64_t bytes_ = 0;
};

}  // namespace

void run_backup(const settings& config, std::string_view options_json, holdfast::plugin::backup_sink& sink,
                const holdfast::plugin::host_services& host) {
    json_fields(options_json, "exec backup options").reject_unknown();
    if (!config.backup_command)
        throw error(HF_ERR_PRECONDITION, "this exec source has no backup_command: it can only restore");
    backup_run(config, host).run(sink);
}

}  // namespace holdfast::engines::exec
