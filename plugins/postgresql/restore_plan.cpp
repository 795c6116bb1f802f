#include "restore_plan.hpp"

#include "database_names.hpp"
#include "server_info.hpp"

#include <holdfast/plugin/common.hpp>

#include <algorithm>
#include <map>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

const char* mode_name(restore_mode m) {
    switch (m) {
        case restore_mode::replace: return "replace";
        case restore_mode::create: return "create";
        case restore_mode::into_existing: return "into-existing";
    }
    return "?";
}

std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : std::string(separator)) + i;
    return out;
}

}  // namespace

std::string extension_source(const std::string& extension, int major) {
    static const std::set<std::string> contrib = {
        "adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dblink",
        "dict_int", "dict_xsyn", "earthdistance", "file_fdw", "fuzzystrmatch", "hstore", "insert_username",
        "intagg", "intarray", "isn", "lo", "ltree", "moddatetime", "old_snapshot", "pageinspect",
        "pg_buffercache", "pg_freespacemap", "pg_prewarm", "pg_stat_statements", "pg_surgery", "pg_trgm",
        "pg_visibility", "pg_walinspect", "pgcrypto", "pgrowlocks", "pgstattuple", "postgres_fdw", "refint",
        "seg", "sslinfo", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp",
        "xml2"};
    static const std::map<std::string, std::string> packaged = {
        {"postgis", "postgis-3"}, {"postgis_topology", "postgis-3"}, {"postgis_raster", "postgis-3"},
        {"postgis_tiger_geocoder", "postgis-3"}, {"address_standardizer", "postgis-3"}, {"vector", "pgvector"},
        {"timescaledb", "timescaledb"}, {"pg_partman", "partman"}, {"pgrouting", "pgrouting"},
        {"pg_cron", "cron"}, {"hypopg", "hypopg"}, {"pgaudit", "pgaudit"}, {"orafce", "orafce"},
        {"plpython3u", "plpython3"}, {"plperl", "plperl"}};
    const std::string m = std::to_string(major);
    if (contrib.count(extension)) return "PostgreSQL's contrib modules (Debian: postgresql-contrib or postgresql-" + m + ")";
    if (auto it = packaged.find(extension); it != packaged.end())
        return "its own package (Debian/PGDG: postgresql-" + m + "-" + it->second + ")";
    return "its own package, built for PostgreSQL " + m + " (Debian/PGDG: postgresql-" + m + "-<name>)";
}

restore_plan plan_restore(connection& server, const snapshot_metadata& meta, const restore_options& options) {
    restore_plan plan;
    plan.target_version_num = server.server_version();
    std::vector<const database_record*> chosen;
    if (options.databases.empty()) {
        for (const auto& d : meta.databases) chosen.push_back(&d);
    } else {
        for (const auto& name : options.databases) {
            const database_record* d = meta.find(name);
            if (d == nullptr) {
                std::vector<std::string> names;
                for (const auto& m : meta.databases) names.push_back(m.name);
                throw error(HF_ERR_NOT_FOUND, "database \"" + name + "\" is not in the snapshot (it holds: " +
                                                  joined(names) + ")");
            }
            chosen.push_back(d);
        }
    }
    if (chosen.empty()) throw error(HF_ERR_NOT_FOUND, "the snapshot holds no database");
    if (options.target && chosen.size() != 1)
        throw error(HF_ERR_INVALID_ARGUMENT, "--target restores one database: choose it with --database");
    const bool in_place = options.selective() || options.data_only;
    for (const database_record* d : chosen) {
        database_step step{d, options.target.value_or(d->name), restore_mode::create};
        const bool exists = find_database(server, step.into).has_value();
        if (in_place && (exists || !options.target)) step.mode = restore_mode::into_existing;
        else if (exists && !options.target) step.mode = restore_mode::replace;
        plan.steps.push_back(step);
    }
    return plan;
}

void check_plan(connection& server, const snapshot_metadata& meta, const restore_options& options,
                bool can_create_roles, restore_plan& plan) {
    const int target_major = plan.target_version_num / 10000, source_major = meta.server_version_num / 10000;
    if (target_major < source_major) {
        const std::string what = "the target server (PostgreSQL " + version_text(plan.target_version_num) +
                                 ") is older than the backup's (" + meta.server_version + ")";
        if (options.force) plan.notes.push_back(what + "; going ahead because of --force");
        else plan.problems.push_back(what + ": objects may not restore; use --force to try anyway");
    }
    const user_privileges me = current_privileges(server);
    if (!me.superuser && !me.create_database)
        plan.problems.push_back("the restoring user " + me.user + " may not create databases (needs CREATEDB)");

    const std::set<std::string> roles = existing_roles(server);
    std::set<std::string> missing;
    for (const auto& step : plan.steps)
        for (const auto& r : step.record->roles)
            if (!roles.count(r)) missing.insert(r);
    if (!missing.empty()) {
        const std::string names = joined({missing.begin(), missing.end()});
        if (options.no_create_roles)
            plan.problems.push_back("roles the backup refers to are missing on the target: " + names +
                                    " (create them, or drop --no-create-roles to create them from the backup's globals)");
        else if (!can_create_roles)
            plan.problems.push_back("roles the backup refers to are missing on the target: " + names +
                                    ", and the snapshot has no globals stream to create them from: create them first");
        else
            plan.roles_to_create = missing;
    }

    const std::set<std::string> installable = installable_extensions(server);
    for (const auto& step : plan.steps)
        for (const auto& e : step.record->extensions)
            if (!installable.count(e.name))
                plan.problems.push_back("extension " + e.name + " " + e.version + " (database " + step.record->name +
                                        ") cannot be installed on the target: it comes from " +
                                        extension_source(e.name, target_major));

    // A restore killed outright (SIGKILL, a crash) cannot drop its temporary database.
    for (const auto& d : list_databases(server))
        if (made_by_restore(d.name) && d.name.find(temporary_marker) != std::string::npos)
            plan.notes.push_back("database \"" + d.name + "\" was left by an interrupted restore and is not used: "
                                 "drop it with DROP DATABASE");

    for (const auto& step : plan.steps) {
        if (step.mode == restore_mode::create && options.target && find_database(server, step.into))
            plan.problems.push_back("the target database \"" + step.into + "\" already exists: choose another name");
        if (step.mode == restore_mode::into_existing && !find_database(server, step.into))
            plan.problems.push_back("database \"" + step.into + "\" does not exist: a selective or data-only "
                                    "restore goes into an existing database (or give --target)");
        if (step.mode != restore_mode::replace) continue;
        const auto others = sessions_on(server, step.into);
        if (others.empty()) continue;
        std::vector<std::string> list;
        for (const auto& s : others)
            list.push_back("pid " + std::to_string(s.pid) + " " + s.user + (s.application.empty() ? "" : " (" + s.application + ")") +
                           " from " + s.address);
        const std::string what = std::to_string(others.size()) + " other session(s) connected to \"" + step.into +
                                 "\": " + joined(list);
        if (options.terminate_connections) plan.notes.push_back(what + "; they will be terminated");
        else plan.problems.push_back(what + "; close them or use --terminate-connections");
    }
}

void refuse_if_problems(const restore_plan& plan, std::string_view what) {
    if (plan.problems.empty()) return;
    std::string message = std::string(what) + " refused (" + std::to_string(plan.problems.size()) + " problem" +
                          (plan.problems.size() > 1 ? "s" : "") + "): ";
    for (std::size_t i = 0; i < plan.problems.size(); ++i)
        message += (i ? "; " : "") + std::to_string(i + 1) + ") " + plan.problems[i];
    throw error(HF_ERR_PRECONDITION, message);
}

nlohmann::json describe(const restore_plan& plan) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : plan.steps)
        steps.push_back({{"database", s.record->name}, {"into", s.into}, {"mode", mode_name(s.mode)}});
    return {{"steps", steps},
            {"roles_to_create", plan.roles_to_create},
            {"problems", plan.problems},
            {"notes", plan.notes}};
}

}  // namespace holdfast::engines::postgresql
