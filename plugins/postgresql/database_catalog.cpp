#include "database_catalog.hpp"

#include <algorithm>
#include <set>

namespace holdfast::engines::postgresql {

namespace {

// An aclitem's role part: a name, possibly double-quoted with "" for a quote.
std::string unquote_role(std::string_view text) {
    if (text.size() < 2 || text.front() != '"') return std::string(text);
    std::string out;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        out += text[i];
        if (text[i] == '"' && text[i + 1] == '"') ++i;
    }
    return out;
}

}  // namespace

std::vector<std::string> acl_roles(const std::vector<std::string>& acl) {
    std::set<std::string> out;
    for (const auto& item : acl) {
        const auto equals = item.rfind('=', item.find('/'));
        const auto slash = item.rfind('/');
        if (equals != std::string::npos && equals > 0) out.insert(unquote_role(std::string_view(item).substr(0, equals)));
        if (slash != std::string::npos) out.insert(unquote_role(std::string_view(item).substr(slash + 1)));
    }
    return {out.begin(), out.end()};
}

std::vector<extension_record> read_extensions(connection& conn) {
    const result r = conn.exec(
        "SELECT e.extname, e.extversion, n.nspname FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY e.extname");
    std::vector<extension_record> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2)});
    return out;
}

std::vector<std::string> read_referenced_roles(connection& conn, const database_info& database) {
    const result r = conn.exec(
        "SELECT DISTINCT a.rolname FROM pg_shdepend d JOIN pg_roles a ON a.oid = d.refobjid "
        "WHERE d.refclassid = 'pg_authid'::regclass "
        "AND d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())");
    std::set<std::string> roles;
    for (int i = 0; i < r.rows(); ++i) roles.insert(r.text(i, 0));
    roles.insert(database.owner);
    for (auto& role : acl_roles(database.acl)) roles.insert(std::move(role));
    return {roles.begin(), roles.end()};
}

std::vector<table_record> read_tables(connection& conn, const table_filter& filter) {
    const result r = conn.exec(
        "SELECT n.nspname, c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND c.relpersistence <> 't' "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname !~ '^pg_(toast|temp_)' "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
        "                AND d.objid = c.oid AND d.deptype = 'e') "
        "ORDER BY 1, 2");
    std::vector<table_record> out;
    for (int i = 0; i < r.rows(); ++i) {
        table_record t{r.text(i, 0), r.text(i, 1), std::nullopt, static_cast<std::uint64_t>(r.integer(i, 2)),
                        std::nullopt};
        if (filter.includes(t.schema, t.name)) out.push_back(std::move(t));
    }
    return out;
}

void count_rows(connection& conn, std::vector<table_record>& tables) {
    // pg_dump dumps every row regardless of row-level security; so must the count.
    conn.exec("SET LOCAL row_security = off");
    for (auto& t : tables) {
        const result r = conn.exec("SELECT count(*) FROM ONLY " + conn.quote_identifier(t.schema) + "." +
                                   conn.quote_identifier(t.name));
        t.rows = static_cast<std::uint64_t>(r.integer(0, 0));
    }
}

}  // namespace holdfast::engines::postgresql
