// libpq, owned: where a server is (endpoint), one open connection, one query result.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace holdfast::engines::postgresql {

using keyword_pairs = std::vector<std::pair<std::string, std::string>>;

// How to reach a server as the settings say, plus the database to connect to.
struct endpoint {
    keyword_pairs parameters;  // never "password"
    std::string password;      // empty: libpq's own sources apply

    // The same server, connected to database `name`.
    endpoint with_database(const std::string& name) const;
    // The database this endpoint connects to ("postgres" unless the settings name one).
    std::string database() const;
    // A keyword/value string for a client program's --dbname: without the password.
    std::string conninfo() const;
    // What a client program's environment needs on top of ours: PGPASSWORD when the
    // settings gave a password (argv would show it to every user of the machine).
    keyword_pairs child_environment() const;
};

class result {
public:
    explicit result(PGresult* raw) : raw_(raw, &PQclear) {}
    int rows() const { return PQntuples(raw_.get()); }
    bool is_null(int row, int column) const { return PQgetisnull(raw_.get(), row, column) != 0; }
    std::string text(int row, int column) const { return PQgetvalue(raw_.get(), row, column); }
    std::optional<std::string> optional_text(int row, int column) const;
    long long integer(int row, int column) const;
    bool boolean(int row, int column) const { return text(row, column) == "t"; }

private:
    std::unique_ptr<PGresult, decltype(&PQclear)> raw_;
};

class connection {
public:
    // Throws plugin::error(HF_ERR_CONNECTION, or HF_ERR_PERMISSION for authentication) with
    // libpq's message, which names the server but never the password.
    static connection open(const endpoint& where);

    // One statement (or several without parameters); throws plugin::error with the
    // server's message (HF_ERR_FAILED, or HF_ERR_PERMISSION for insufficient privilege).
    result exec(const std::string& sql);
    // One statement with text parameters $1, $2, ...
    result query(const std::string& sql, const std::vector<std::string>& parameters);

    std::string quote_identifier(std::string_view name) const;
    std::string quote_literal(std::string_view text) const;
    int server_version() const { return PQserverVersion(raw_.get()); }
    PGconn* raw() const { return raw_.get(); }

private:
    explicit connection(PGconn* raw) : raw_(raw, &PQfinish) {}
    result checked(PGresult* r, const std::string& sql);

    std::unique_ptr<PGconn, decltype(&PQfinish)> raw_;
};

// "15.4" from 150004; "9.6.24" from 90624.
std::string version_text(int version_num);

}  // namespace holdfast::engines::postgresql
