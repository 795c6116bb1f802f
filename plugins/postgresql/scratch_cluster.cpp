#include "scratch_cluster.hpp"

#include "child.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;
namespace fs = std::filesystem;

namespace {

// The socket lives in the private directory, so any port number is free: it only names
// the socket file.
constexpr const char* port = "5432";

void run_to_end(const program_run& run, holdfast::plugin::host_services host) {
    auto program = child::start(run);
    while (!program->wait_for(std::chrono::milliseconds(200))) host.throw_if_cancelled();
    if (!program->wait()) throw error(HF_ERR_FAILED, "scratch cluster: " + program->failure());
}

}  // namespace

scratch_cluster::scratch_cluster(const fs::path& initdb, holdfast::plugin::host_services host)
    : bin_(initdb.parent_path()), host_(host) {
    if (::geteuid() == 0)
        throw error(HF_ERR_PRECONDITION, "a scratch cluster cannot run as root (PostgreSQL refuses to): run the drill "
                                         "as the postgres user, or remove scratch_initdb to drill on the source's server");
    for (const char* program : {"initdb", "pg_ctl", "postgres"})
        if (::access((bin_ / program).c_str(), X_OK) != 0)
            throw error(HF_ERR_NOT_FOUND, "scratch cluster: " + (bin_ / program).string() +
                                              " is missing; scratch_initdb must name initdb in a PostgreSQL bin directory");
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/holdfast-drill-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
        throw error(HF_ERR_IO, "scratch cluster: cannot create " + pattern + ": " + std::strerror(errno));
    dir_ = pattern;
    try {
        host_.info("creating a scratch cluster in " + dir_.string());
        run_to_end({initdb, {"--pgdata=" + (dir_ / "data").string(), "--username=postgres", "--auth=trust",
                             "--no-sync", "--encoding=UTF8"}, {}, false, false}, host_);
        run_to_end({bin_ / "pg_ctl", {"--pgdata=" + (dir_ / "data").string(), "--wait", "--silent",
                                      "--log=" + (dir_ / "server.log").string(),
                                      "--options=-c listen_addresses= -c fsync=off -k " + dir_.string() + " -p " + port,
                                      "start"}, {}, false, false}, host_);
        started_ = true;
    } catch (...) {
        std::error_code ec;
        fs::remove_all(dir_, ec);
        throw;
    }
}

scratch_cluster::~scratch_cluster() {
    if (started_) {
        try {
            run_to_end({bin_ / "pg_ctl", {"--pgdata=" + (dir_ / "data").string(), "--mode=immediate", "--wait",
                                          "--silent", "stop"}, {}, false, false}, {});
        } catch (const std::exception& e) {
            host_.warn(std::string("could not stop the scratch cluster: ") + e.what());
        }
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

endpoint scratch_cluster::where() const {
    return {{{"host", dir_.string()}, {"port", port}, {"user", "postgres"}, {"dbname", "postgres"}}, ""};
}

}  // namespace holdfast::engines::postgresql
