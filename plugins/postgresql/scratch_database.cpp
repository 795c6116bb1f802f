#include "scratch_database.hpp"

#include <set>

namespace holdfast::engines::postgresql {

namespace {

// Settings whose values are lists of names, written unquoted as pg_dump does.
bool is_list_setting(const std::string& name) {
    static const std::set<std::string> lists = {"search_path", "temp_tablespaces", "session_preload_libraries",
                                                "local_preload_libraries", "shared_preload_libraries"};
    return lists.count(name) > 0;
}

std::string privilege_words(std::string_view letters) {
    std::string out;
    for (char c : letters) {
        const char* word = c == 'C' ? "CREATE" : c == 'T' ? "TEMPORARY" : c == 'c' ? "CONNECT" : nullptr;
        if (word != nullptr) out += (out.empty() ? "" : ", ") + std::string(word);
    }
    return out;
}

}  // namespace

scratch_database::scratch_database(connection& admin, std::string name, const database_record& like,
                                   holdfast::plugin::host_services host)
    : admin_(admin), name_(std::move(name)), host_(host) {
    std::string sql = "CREATE DATABASE " + admin_.quote_identifier(name_) + " TEMPLATE template0";
    if (!like.encoding.empty()) sql += " ENCODING " + admin_.quote_literal(like.encoding);
    if (!like.collate.empty()) sql += " LC_COLLATE " + admin_.quote_literal(like.collate);
    if (!like.ctype.empty()) sql += " LC_CTYPE " + admin_.quote_literal(like.ctype);
    admin_.exec(sql);
}

scratch_database::~scratch_database() {
    if (released_) return;
    try {
        drop_database(admin_, name_);
    } catch (const std::exception& e) {
        host_.warn("could not drop the temporary database " + name_ + ": " + e.what() + "; drop it by hand");
    }
}

void scratch_database::apply_database_properties(const database_record& like) {
    const std::string db = admin_.quote_identifier(name_);
    if (!like.owner.empty()) admin_.exec("ALTER DATABASE " + db + " OWNER TO " + admin_.quote_identifier(like.owner));
    for (const auto& setting : like.settings) {
        const auto equals = setting.find('=');
        if (equals == std::string::npos) continue;
        const std::string key = setting.substr(0, equals), value = setting.substr(equals + 1);
        admin_.exec("ALTER DATABASE " + db + " SET " + admin_.quote_identifier(key) + " TO " +
                    (is_list_setting(key) ? value : admin_.quote_literal(value)));
    }
    if (like.acl.empty()) return;  // NULL datacl: the defaults, which a new database has
    admin_.exec("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
    for (const auto& item : like.acl) {
        const auto slash = item.rfind('/');
        const auto equals = item.rfind('=', slash);
        if (equals == std::string::npos) continue;
        const std::string grantee = item.substr(0, equals);
        const std::string words = privilege_words(std::string_view(item).substr(equals + 1, slash - equals - 1));
        if (words.empty()) continue;
        const std::string who = grantee.empty() ? "PUBLIC"
                                : grantee.front() == '"' ? grantee
                                                         : admin_.quote_identifier(grantee);
        admin_.exec("GRANT " + words + " ON DATABASE " + db + " TO " + who);
    }
}

void drop_database(connection& admin, const std::string& name) {
    const std::string db = admin.quote_identifier(name);
    // WITH (FORCE) (PostgreSQL 13+) ends the sessions and drops in one step.
    if (admin.server_version() >= 130000) {
        admin.exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        return;
    }
    admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", {name});
    admin.exec("DROP DATABASE IF EXISTS " + db);
}

}  // namespace holdfast::engines::postgresql
