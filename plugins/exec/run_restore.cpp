#include "run_restore.hpp"

#include <holdfast/plugin/json_fields.hpp>
#include "launch.hpp"
#include "pipe_io.hpp"
#include <holdfast/plugin/sigpipe_guard.hpp>
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
constexpr const char* role = "restore command";

std::uint64_t stream_size(holdfast::plugin::restore_source& source, const std::string& name) {
    std::string names;
    for (const auto& stream : source.streams()) {
        if (stream.name == name) return stream.size;
        names += (names.empty() ? "" : ", ") + stream.name;
    }
    throw error(HF_ERR_NOT_FOUND, "the snapshot has no stream \"" + name + "\" (it has: " +
                                      (names.empty() ? "none" : names) + "); check the stream_name setting");
}

class restore_run {
public:
    restore_run(const settings& config, const holdfast::plugin::host_services& host)
        : config_(config), cmd_(*config.restore_command), host_(host), run_(role, cmd_, config, host),
          buffer_(chunk_bytes) {}

    std::string run(holdfast::plugin::restore_source& source) {
        total_ = stream_size(source, config_.stream_name);
        holdfast::plugin::input_stream in = source.open(config_.stream_name);
        host_.info(std::string("running ") + role + " '" + cmd_.name() + "'");
        child_process child = launch(cmd_, config_, purpose::restore);
        {
            plugin::sigpipe_guard no_sigpipe;  // a command that exits early must not kill the host
            pump(child, in);
        }
        exit_status status = run_.wait_for_exit(child);
        if (!status.success()) run_.fail("failed with " + status.describe() + after_bytes());
        if (stopped_reading_) run_.fail("exited before reading the whole stream" + after_bytes());
        nlohmann::json report = {
            {"command", cmd_.name()},
            {"form", cmd_.form_name()},
            {"exit_status", status.code()},
            {"bytes", written_},
            {"duration_ms", run_.dog().elapsed().count()},
            {"stream", config_.stream_name},
            {"dry_run", false},
        };
        return plugin::to_json_text(report);
    }

private:
    std::string after_bytes() const {
        return " (after it read " + std::to_string(written_) + " of " + std::to_string(total_) + " bytes)";
    }

    // Feed the stream to stdin while collecting the command's output, until
    // the stream is fed (or refused) and the output pipe is closed.
    void pump(child_process& child, holdfast::plugin::input_stream& in) {
        std::span<const std::byte> pending;
        bool input_done = false;
        while (child.stdin_fd() >= 0 || child.stderr_fd() >= 0) {
            run_.watch(child);
            if (child.stdin_fd() >= 0 && pending.empty() && !input_done) {
                std::size_t n = in.read(buffer_);
                if (n == 0) {
                    input_done = true;
                    child.close_stdin();  // end of file for the command
                } else {
                    pending = std::span<const std::byte>(buffer_).first(n);
                }
            }
            pollfd fds[2] = {{child.stdin_fd(), POLLOUT, 0}, {child.stderr_fd(), POLLIN, 0}};
            int ready = ::poll(fds, 2, run_.dog().poll_timeout_ms());
            if (ready < 0 && errno != EINTR) throw error(HF_ERR_IO, std::string("poll: ") + std::strerror(errno));
            if (ready <= 0) continue;
            if (fds[0].revents != 0 && !pending.empty()) {
                auto n = write_available(child.stdin_fd(), pending, "writing to the restore command");
                if (!n) {  // EPIPE: the command closed its stdin
                    stopped_reading_ = true;
                    pending = {};
                    child.close_stdin();
                } else {
                    pending = pending.subspan(*n);
                    written_ += *n;
                    host_.progress("restore", written_, total_);
                }
            }
            if (fds[1].revents != 0) run_.collect_stderr(child, "reading the command's output");
        }
    }

    const settings& config_;
    const command& cmd_;
    holdfast::plugin::host_services host_;
    supervision run_;
    std::vector<std::byte> buffer_;
    std::uint64_t total_ = 0;
    std::uint64_t written_ = 0;
    bool stopped_reading_ = false;
};

}  // namespace

std::string run_restore(const settings& config, std::string_view options_json,
                        holdfast::plugin::restore_source& source, const holdfast::plugin::host_services& host) {
    plugin::json_fields options(options_json, "exec restore options");
    const bool dry_run = options.boolean("dry_run").value_or(false);
    options.reject_unknown();
    if (!config.restore_command)
        throw error(HF_ERR_PRECONDITION, "this exec source has no restore_command: it can only back up");
    if (dry_run) {
        const command& cmd = *config.restore_command;
        const std::string program = cmd.kind == command::form::argv ? cmd.argv.front() : shell_path;
        nlohmann::json report = {
            {"command", cmd.name()},
            {"form", cmd.form_name()},
            {"stream", config.stream_name},
            {"bytes", stream_size(source, config.stream_name)},
            {"program_found", find_executable(program, config.search_path(), config.working_directory).has_value()},
            {"dry_run", true},
        };
        return plugin::to_json_text(report);
    }
    return restore_run(config, host).run(source);
}

}  // namespace holdfast::engines::exec
