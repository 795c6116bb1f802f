// A database this restore created and has not yet put into place: dropped on destruction
// (the pg_restore writing into it must already be gone), so a failure or Ctrl-C at any
// point leaves nothing behind. release() once it has been renamed into place.
#pragma once

#include "connection.hpp"
#include "metadata.hpp"

#include <holdfast/plugin/common.hpp>

#include <string>

namespace holdfast::engines::postgresql {

class scratch_database {
public:
    // CREATE DATABASE `name` from template0 with the record's encoding and locale.
    scratch_database(connection& admin, std::string name, const database_record& like,
                     holdfast::plugin::host_services host);
    scratch_database(const scratch_database&) = delete;
    scratch_database& operator=(const scratch_database&) = delete;
    ~scratch_database();

    const std::string& name() const { return name_; }
    // The recorded owner, settings and privileges of the database itself (pg_dump keeps
    // them only with --create, which would fix the name).
    void apply_database_properties(const database_record& like);
    void release() { released_ = true; }

private:
    connection& admin_;
    std::string name_;
    holdfast::plugin::host_services host_;
    bool released_ = false;
};

// DROP DATABASE after ending its sessions; throws plugin::error on failure.
void drop_database(connection& admin, const std::string& name);

}  // namespace holdfast::engines::postgresql
