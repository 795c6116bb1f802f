#include "server_info.hpp"

#include <nlohmann/json.hpp>

namespace holdfast::engines::postgresql {

namespace {

std::vector<std::string> json_strings(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& item : nlohmann::json::parse(text, nullptr, false))
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

constexpr const char* database_query = R"(
SELECT d.datname, pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate, d.datctype,
       CASE WHEN has_database_privilege(d.oid, 'CONNECT') THEN pg_database_size(d.oid) END,
       d.datallowconn, d.datistemplate, has_database_privilege(d.oid, 'CONNECT'),
       coalesce(array_to_json(d.datacl::text[])::text, '[]'),
       coalesce((SELECT array_to_json(s.setconfig)::text FROM pg_db_role_setting s
                 WHERE s.setdatabase = d.oid AND s.setrole = 0), '[]')
FROM pg_database d)";

std::vector<database_info> read_databases(const result& r) {
    std::vector<database_info> out;
    for (int i = 0; i < r.rows(); ++i) {
        database_info d;
        d.name = r.text(i, 0);
        d.owner = r.text(i, 1);
        d.encoding = r.text(i, 2);
        d.collate = r.text(i, 3);
        d.ctype = r.text(i, 4);
        if (!r.is_null(i, 5)) d.size = static_cast<std::uint64_t>(r.integer(i, 5));
        d.allows_connections = r.boolean(i, 6);
        d.is_template = r.boolean(i, 7);
        d.can_connect = r.boolean(i, 8);
        d.acl = json_strings(r.text(i, 9));
        d.settings = json_strings(r.text(i, 10));
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

std::vector<database_info> list_databases(connection& conn) {
    return read_databases(conn.exec(std::string(database_query) + " ORDER BY d.datname"));
}

std::optional<database_info> find_database(connection& conn, const std::string& name) {
    auto found = read_databases(conn.query(std::string(database_query) + " WHERE d.datname = $1", {name}));
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::set<std::string> existing_roles(connection& conn) {
    std::set<std::string> out;
    const result r = conn.exec("SELECT rolname FROM pg_roles");
    for (int i = 0; i < r.rows(); ++i) out.insert(r.text(i, 0));
    return out;
}

user_privileges current_privileges(connection& conn) {
    const result r = conn.exec(
        "SELECT current_user, rolsuper, rolcreatedb, "
        "CASE WHEN to_regrole('pg_read_all_data') IS NULL THEN false "
        "ELSE pg_has_role('pg_read_all_data', 'MEMBER') END "
        "FROM pg_roles WHERE rolname = current_user");
    user_privileges p;
    if (r.rows() == 0) return p;
    p.user = r.text(0, 0);
    p.superuser = r.boolean(0, 1);
    p.create_database = r.boolean(0, 2);
    p.read_all_data = r.boolean(0, 3);
    return p;
}

std::vector<session> sessions_on(connection& conn, const std::string& database) {
    const result r = conn.query(
        "SELECT pid, coalesce(usename, ''), coalesce(application_name, ''), coalesce(host(client_addr), 'local') "
        "FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid",
        {database});
    std::vector<session> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({static_cast<int>(r.integer(i, 0)), r.text(i, 1), r.text(i, 2), r.text(i, 3)});
    return out;
}

std::set<std::string> installable_extensions(connection& conn) {
    std::set<std::string> out;
    const result r = conn.exec("SELECT name FROM pg_available_extensions");
    for (int i = 0; i < r.rows(); ++i) out.insert(r.text(i, 0));
    return out;
}

}  // namespace holdfast::engines::postgresql
