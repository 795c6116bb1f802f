#include "pg_restore_feed.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

constexpr std::size_t buffer_size = 1 << 20;

// A temporary file, removed on destruction.
class spool_file {
public:
    spool_file() {
        const char* dir = std::getenv("TMPDIR");
        path_ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/holdfast-pg_restore-XXXXXX";
        fd_ = ::mkostemp(path_.data(), O_CLOEXEC);
        if (fd_ < 0) throw error(HF_ERR_IO, "cannot create a spool file in " + path_ + ": " + std::strerror(errno));
    }
    spool_file(const spool_file&) = delete;
    spool_file& operator=(const spool_file&) = delete;
    ~spool_file() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    void write(std::span<const std::byte> data) {
        while (!data.empty()) {
            const ssize_t n = ::write(fd_, data.data(), data.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0)
                throw error(errno == ENOSPC ? HF_ERR_NO_SPACE : HF_ERR_IO,
                            "cannot write the spool file " + path_ + ": " + std::strerror(errno) +
                                " (set TMPDIR to a directory with room for the archive, or restore without --jobs)");
            data = data.subspan(static_cast<std::size_t>(n));
        }
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace

feed_result feed_pg_restore(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                            const archive_reader& read, holdfast::plugin::host_services host) {
    std::vector<std::byte> buffer(buffer_size);
    const auto cancelled = [&host] { return host.cancelled(); };
    feed_result result;
    if (selection.jobs > 1) {
        spool_file spool;
        host.info("pg_restore --jobs needs a seekable archive: spooling it to " + spool.path());
        while (std::size_t n = read(buffer)) {
            host.throw_if_cancelled();
            spool.write(std::span(buffer.data(), n));
            result.bytes += n;
        }
        result.spooled_bytes = result.bytes;
        auto program = child::start(pg_restore_run(tools, database, selection, spool.path()));
        // pg_restore reads the file itself; wait for it, stopping it if the user cancels.
        while (!program->wait_for(std::chrono::milliseconds(200))) host.throw_if_cancelled();
        if (!program->wait()) throw error(HF_ERR_FAILED, program->failure());
        return result;
    }
    auto program = child::start(pg_restore_run(tools, database, selection, std::nullopt));
    while (std::size_t n = read(buffer)) {
        if (!program->write(std::span<const std::byte>(buffer.data(), n), cancelled)) break;  // it stopped early
        result.bytes += n;
    }
    if (!program->wait()) throw error(HF_ERR_FAILED, program->failure());
    return result;
}

}  // namespace holdfast::engines::postgresql
