// Who is writing: recorded in key slots, snapshots and locks so an operator can tell which
// machine and process an object came from.
#pragma once

#include <cstdint>
#include <string>

namespace holdfast::repository {

struct local_identity {
    std::string host;
    std::string user;
    std::int64_t pid = 0;

    // The host name, the user name (from the password database, else $USER, else the uid)
    // and the pid of this process.
    static local_identity current();
};

}  // namespace holdfast::repository
