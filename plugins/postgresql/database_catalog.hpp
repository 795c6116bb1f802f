// Inside one database, in the backup's MVCC snapshot: its extensions, the roles its objects
// refer to, its tables with sizes, and exact row counts. Row counts are taken in the very
// snapshot pg_dump exports from, so they are what a restore must reproduce.
#pragma once

#include "connection.hpp"
#include "metadata.hpp"
#include "name_pattern.hpp"
#include "server_info.hpp"

#include <vector>

namespace holdfast::engines::postgresql {

std::vector<extension_record> read_extensions(connection& conn);
// Owners, grantees and policy roles (pg_shdepend), the database's owner and its grantees.
std::vector<std::string> read_referenced_roles(connection& conn, const database_info& database);
// Ordinary tables and partitions outside the system schemas, not members of an extension,
// that `filter` selects; rows unset.
std::vector<table_record> read_tables(connection& conn, const table_filter& filter);
// count(*) of each table, in the connection's current transaction.
void count_rows(connection& conn, std::vector<table_record>& tables);
// The role names in aclitem texts ("app=CTc/owner"; PUBLIC is the empty grantee).
std::vector<std::string> acl_roles(const std::vector<std::string>& acl);

}  // namespace holdfast::engines::postgresql
