#include "database_swap.hpp"

#include "server_info.hpp"

namespace holdfast::engines::postgresql {

void end_sessions(connection& admin, const std::string& database) {
    admin.exec("ALTER DATABASE " + admin.quote_identifier(database) + " ALLOW_CONNECTIONS false");
    admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                {database});
}

void allow_connections(connection& admin, const std::string& database) {
    admin.exec("ALTER DATABASE " + admin.quote_identifier(database) + " ALLOW_CONNECTIONS true");
}

std::optional<std::string> swap_databases(connection& admin, const std::string& name, const std::string& incoming,
                                          const std::string& previous_as, bool terminate) {
    const auto existing = find_database(admin, name);
    if (existing && terminate) end_sessions(admin, name);
    try {
        admin.exec("BEGIN");
        if (existing)
            admin.exec("ALTER DATABASE " + admin.quote_identifier(name) + " RENAME TO " +
                       admin.quote_identifier(previous_as));
        admin.exec("ALTER DATABASE " + admin.quote_identifier(incoming) + " RENAME TO " + admin.quote_identifier(name));
        admin.exec("COMMIT");
    } catch (...) {
        try {
            admin.exec("ROLLBACK");
            if (existing && terminate && existing->allows_connections) allow_connections(admin, name);
        } catch (...) {
        }
        throw;
    }
    if (!existing) return std::nullopt;
    if (terminate && existing->allows_connections) allow_connections(admin, previous_as);
    return previous_as;
}

}  // namespace holdfast::engines::postgresql
