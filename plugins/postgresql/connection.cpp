#include "connection.hpp"

#include <holdfast/plugin/common.hpp>

#include <algorithm>
#include <cstdlib>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

// libpq's keyword/value syntax: single quotes, with \ and ' escaped.
std::string quoted_value(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

}  // namespace

endpoint endpoint::with_database(const std::string& name) const {
    endpoint copy = *this;
    std::erase_if(copy.parameters, [](const auto& p) { return p.first == "dbname"; });
    copy.parameters.emplace_back("dbname", name);
    return copy;
}

std::string endpoint::database() const {
    for (auto it = parameters.rbegin(); it != parameters.rend(); ++it)
        if (it->first == "dbname") return it->second;
    const char* env = std::getenv("PGDATABASE");
    return env != nullptr && *env != '\0' ? env : "postgres";
}

std::string endpoint::conninfo() const {
    std::string out;
    for (const auto& [key, value] : parameters) out += (out.empty() ? "" : " ") + key + "=" + quoted_value(value);
    return out;
}

keyword_pairs endpoint::child_environment() const {
    if (password.empty()) return {};
    return {{"PGPASSWORD", password}};
}

std::optional<std::string> result::optional_text(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return text(row, column);
}

long long result::integer(int row, int column) const {
    return is_null(row, column) ? 0 : std::strtoll(PQgetvalue(raw_.get(), row, column), nullptr, 10);
}

connection connection::open(const endpoint& where) {
    keyword_pairs pairs = where.parameters;
    if (std::none_of(pairs.begin(), pairs.end(), [](const auto& p) { return p.first == "dbname"; }))
        pairs.emplace_back("dbname", where.database());
    pairs.emplace_back("fallback_application_name", "holdfast");
    if (!where.password.empty()) pairs.emplace_back("password", where.password);
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : pairs) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    // expand_dbname = 0: a database name is a name, never a second connection string.
    connection conn(PQconnectdbParams(keys.data(), values.data(), 0));
    if (!conn.raw_) throw error(HF_ERR_INTERNAL, "libpq could not allocate a connection");
    if (PQstatus(conn.raw()) != CONNECTION_OK) {
        const std::string why = trimmed(PQerrorMessage(conn.raw()));
        const bool auth = why.find("authentication") != std::string::npos || why.find("password") != std::string::npos;
        throw error(auth ? HF_ERR_PERMISSION : HF_ERR_CONNECTION, "cannot connect to PostgreSQL: " + why);
    }
    return conn;
}

result connection::checked(PGresult* r, const std::string& sql) {
    result out(r);
    const ExecStatusType status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return out;
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const bool privilege = state != nullptr && std::string_view(state) == "42501";
    std::string statement = sql.substr(0, 60) + (sql.size() > 60 ? "..." : "");
    std::replace(statement.begin(), statement.end(), '\n', ' ');
    throw error(privilege ? HF_ERR_PERMISSION : (PQstatus(raw()) == CONNECTION_BAD ? HF_ERR_CONNECTION : HF_ERR_FAILED),
                "PostgreSQL: " + trimmed(PQerrorMessage(raw())) + " (in: " + statement + ")");
}

result connection::exec(const std::string& sql) { return checked(PQexec(raw(), sql.c_str()), sql); }

result connection::query(const std::string& sql, const std::vector<std::string>& parameters) {
    std::vector<const char*> values;
    for (const auto& p : parameters) values.push_back(p.c_str());
    return checked(PQexecParams(raw(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                                nullptr, 0),
                   sql);
}

std::string connection::quote_identifier(std::string_view name) const {
    char* quoted = PQescapeIdentifier(raw(), name.data(), name.size());
    if (quoted == nullptr) throw error(HF_ERR_INVALID_ARGUMENT, "cannot quote the name \"" + std::string(name) + "\"");
    std::string out(quoted);
    PQfreemem(quoted);
    return out;
}

std::string connection::quote_literal(std::string_view text) const {
    char* quoted = PQescapeLiteral(raw(), text.data(), text.size());
    if (quoted == nullptr) throw error(HF_ERR_INVALID_ARGUMENT, "cannot quote a text for SQL");
    std::string out(quoted);
    PQfreemem(quoted);
    return out;
}

std::string version_text(int num) {
    if (num >= 100000) return std::to_string(num / 10000) + "." + std::to_string(num % 10000);
    return std::to_string(num / 10000) + "." + std::to_string(num / 100 % 100) + "." + std::to_string(num % 100);
}

}  // namespace holdfast::engines::postgresql
