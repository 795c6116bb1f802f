#include "run_backup.hpp"

#include <holdfast/plugin/json_fields.hpp>
#include "launch.hpp"
#include "pipe_io.hpp"
#include "supervision.hpp"

#include <nlohmann/json.hpp>

#include <poll.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace holdfast::engines::exec {

using holdfast::plugin::error;

namespace {

constexpr std::size_t chunk_bytes = 1024 * 1024;
constexpr const char* role = "backup command";

// Everything one run needs while the command is alive.
class backup_run {
public:
    backup_run(const settings& config, const holdfast::plugin::host_services& host)
        : config_(config), cmd_(*config.backup_command), host_(host), run_(role, cmd_, config, host),
          out_buffer_(chunk_bytes) {}

    void run(holdfast::plugin::backup_sink& sink) {
        host_.info(std::string("running ") + role + " '" + cmd_.name() + "'");
        child_process child = launch(cmd_, config_, purpose::backup);
        holdfast::plugin::output_stream out = sink.begin(config_.stream_name);
        pump(child, out);
        exit_status status = run_.wait_for_exit(child);
        if (!status.success()) run_.fail("failed with " + status.describe());
        out.finish();  // only now: a failed command's output is abandoned with `out`

        nlohmann::json metadata = {
            {"command", cmd_.name()},
            {"form", cmd_.form_name()},
            {"exit_status", status.code()},
            {"bytes", bytes_},
            {"duration_ms", run_.dog().elapsed().count()},
            {"stream", config_.stream_name},
        };
        sink.set_metadata(plugin::to_json_text(metadata));
        host_.info(std::string(role) + " '" + cmd_.name() + "' wrote " + std::to_string(bytes_) + " bytes");
    }

private:
    // Copy stdout into the stream and stderr into the tail until both close.
    void pump(child_process& child, holdfast::plugin::output_stream& out) {
        while (child.stdout_fd() >= 0 || child.stderr_fd() >= 0) {
            run_.watch(child);
            pollfd fds[2] = {{child.stdout_fd(), POLLIN, 0}, {child.stderr_fd(), POLLIN, 0}};
            int ready = ::poll(fds, 2, run_.dog().poll_timeout_ms());  // a negative fd is skipped
            if (ready < 0 && errno != EINTR) throw error(HF_ERR_IO, std::string("poll: ") + std::strerror(errno));
            if (ready <= 0) continue;
            if (fds[0].revents != 0) read_stdout(child, out);
            if (fds[1].revents != 0) run_.collect_stderr(child, "reading the command's stderr");
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

    const settings& config_;
    const command& cmd_;
    holdfast::plugin::host_services host_;
    supervision run_;
    std::vector<std::byte> out_buffer_;
    std::uint64_t bytes_ = 0;
};

}  // namespace

void run_backup(const settings& config, std::string_view options_json, holdfast::plugin::backup_sink& sink,
                const holdfast::plugin::host_services& host) {
    plugin::json_fields(options_json, "exec backup options").reject_unknown();
    if (!config.backup_command)
        throw error(HF_ERR_PRECONDITION, "this exec source has no backup_command: it can only restore");
    backup_run(config, host).run(sink);
}

}  // namespace holdfast::engines::exec
