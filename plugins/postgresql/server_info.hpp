// What a server holds, read from its catalogs: databases, roles, the connected user's
// privileges, sessions. One query each; shared by probe, backup, restore checks and drills.
#pragma once

#include "connection.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace holdfast::engines::postgresql {

struct database_info {
    std::string name, owner, encoding, collate, ctype;
    std::optional<std::uint64_t> size;  // none without CONNECT privilege
    bool allows_connections = true;
    bool is_template = false;
    bool can_connect = true;
    std::vector<std::string> acl;       // aclitem texts, "=Tc/app"
    std::vector<std::string> settings;  // ALTER DATABASE ... SET: "work_mem=64MB"
};

struct user_privileges {
    std::string user;
    bool superuser = false;
    bool read_all_data = false;  // member of pg_read_all_data (PostgreSQL 14+)
    bool create_database = false;
};

struct session {
    int pid = 0;
    std::string user, application, address;
};

std::vector<database_info> list_databases(connection& conn);
std::optional<database_info> find_database(connection& conn, const std::string& name);
std::set<std::string> existing_roles(connection& conn);
user_privileges current_privileges(connection& conn);
// Other sessions connected to `database` (ours excluded).
std::vector<session> sessions_on(connection& conn, const std::string& database);
// Extensions this server can install: name -> available versions.
std::set<std::string> installable_extensions(connection& conn);

}  // namespace holdfast::engines::postgresql
