#include "settings.hpp"

#include <holdfast/plugin/json_fields.hpp>

#include <holdfast/plugin/common.hpp>
#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <memory>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

// Splits a URI or keyword string into pairs with libpq's own parser, so every form libpq
// accepts works, and the password can be taken out before the string is used anywhere.
void add_conninfo(std::string_view conninfo, settings& out) {
    char* message = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(std::string(conninfo).c_str(), &message), &PQconninfoFree);
    if (!options) {
        std::string why = message != nullptr ? message : "out of memory";
        PQfreemem(message);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        // libpq's message quotes no password: it names the syntax problem only.
        throw error(HF_ERR_INVALID_ARGUMENT, "postgresql settings: \"url\" is not a libpq connection string or URI: " + why);
    }
    for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
        if (o->val == nullptr) continue;
        if (std::string_view(o->keyword) == "password") out.password = o->val;
        else out.connection.emplace_back(o->keyword, o->val);
    }
}

std::string password_from_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw error(HF_ERR_INVALID_ARGUMENT, "postgresql settings: cannot read password_file " + path);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw error(HF_ERR_INVALID_ARGUMENT, "postgresql settings: password_file " + path + " is empty");
    return line;
}

}  // namespace

settings parse_settings(std::string_view json) {
    plugin::json_fields fields(json, "postgresql settings");
    settings out;
    if (auto url = fields.string("url")) add_conninfo(*url, out);
    if (auto service = fields.string("service")) out.connection.emplace_back("service", *service);
    if (auto host = fields.string("host")) out.connection.emplace_back("host", *host);
    if (auto port = fields.integer("port")) {
        if (*port < 1 || *port > 65535) throw error(HF_ERR_INVALID_ARGUMENT, "postgresql settings: \"port\" must be 1 to 65535");
        out.connection.emplace_back("port", std::to_string(*port));
    }
    if (auto user = fields.string("user")) out.connection.emplace_back("user", *user);
    if (auto dbname = fields.string("dbname")) out.connection.emplace_back("dbname", *dbname);
    const auto password_env = fields.string("password_env");
    const auto password_file = fields.string("password_file");
    if (password_env && password_file)
        throw error(HF_ERR_INVALID_ARGUMENT, "postgresql settings: give password_env or password_file, not both");
    if (password_env) {
        const char* value = std::getenv(password_env->c_str());
        if (value == nullptr || *value == '\0')
            throw error(HF_ERR_INVALID_ARGUMENT, "postgresql settings: password_env names " + *password_env +
                                                     ", which is not set in the environment");
        out.password = value;
    }
    if (password_file) out.password = password_from_file(*password_file);
    out.databases = fields.strings("databases");
    out.exclude_databases = fields.strings("exclude_databases");
    if (auto dir = fields.string("bin_dir")) out.bin_dir = std::filesystem::path(*dir);
    if (auto initdb = fields.string("scratch_initdb")) out.scratch_initdb = std::filesystem::path(*initdb);
    fields.reject_unknown();
    return out;
}

}  // namespace holdfast::engines::postgresql
