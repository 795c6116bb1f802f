// A throwaway PostgreSQL cluster for restore drills (the scratch_initdb setting): initdb in a
// private temporary directory, a server listening only on a Unix socket in that directory,
// stopped and deleted on destruction. A drill there cannot touch the source's server at all.
#pragma once

#include "connection.hpp"

#include <holdfast/plugin/common.hpp>

#include <filesystem>
#include <string>

namespace holdfast::engines::postgresql {

class scratch_cluster {
public:
    // Throws plugin::error: HF_ERR_PRECONDITION when running as root (PostgreSQL refuses it),
    // HF_ERR_NOT_FOUND for a missing initdb/pg_ctl, HF_ERR_FAILED with their last lines.
    scratch_cluster(const std::filesystem::path& initdb, holdfast::plugin::host_services host);
    scratch_cluster(const scratch_cluster&) = delete;
    scratch_cluster& operator=(const scratch_cluster&) = delete;
    ~scratch_cluster();

    // The bootstrap superuser "postgres" on the socket, database postgres.
    endpoint where() const;

private:
    std::filesystem::path bin_, dir_;
    holdfast::plugin::host_services host_;
    bool started_ = false;
};

}  // namespace holdfast::engines::postgresql
