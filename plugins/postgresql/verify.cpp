#include "verify.hpp"

#include "client_tools.hpp"
#include "database_catalog.hpp"
#include <holdfast/plugin/json_fields.hpp>
#include "metadata.hpp"
#include "pg_restore_feed.hpp"
#include "restore_plan.hpp"
#include "restore.hpp"
#include "scratch_cluster.hpp"
#include "scratch_database.hpp"
#include "snapshot_archive.hpp"
#include "stream_names.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <map>

namespace holdfast::engines::postgresql {

namespace {

using clock = std::chrono::steady_clock;

std::int64_t ms_since(clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
}

// Row counts of the restored copy against the metadata's; fills the database's report.
bool compare_tables(connection& restored, const database_record& expected, nlohmann::json& report) {
    std::vector<table_record> found = read_tables(restored, table_filter{});
    restored.exec("BEGIN");
    count_rows(restored, found);
    restored.exec("COMMIT");
    std::map<std::pair<std::string, std::string>, std::uint64_t> rows;
    for (const auto& t : found) rows[{t.schema, t.name}] = t.rows.value_or(0);
    nlohmann::json mismatches = nlohmann::json::array(), missing = nlohmann::json::array();
    std::uint64_t total = 0;
    for (const auto& t : expected.tables) {
        auto it = rows.find({t.schema, t.name});
        const std::string name = t.schema + "." + t.name;
        if (it == rows.end()) {
            missing.push_back(name);
            continue;
        }
        total += it->second;
        if (t.rows && *t.rows != it->second)
            mismatches.push_back({{"table", name}, {"expected", *t.rows}, {"found", it->second}});
    }
    std::vector<std::string> extensions_missing;
    std::set<std::string> installed;
    for (const auto& e : read_extensions(restored)) installed.insert(e.name);
    for (const auto& e : expected.extensions)
        if (!installed.count(e.name)) extensions_missing.push_back(e.name);
    report["tables"] = expected.tables.size();
    report["rows"] = total;
    report["mismatches"] = mismatches;
    report["missing_tables"] = missing;
    report["missing_extensions"] = extensions_missing;
    return mismatches.empty() && missing.empty() && extensions_missing.empty();
}

}  // namespace

holdfast::plugin::verify_result run_verify(const settings& config, std::string_view options_json,
                                           holdfast::plugin::restore_source& source,
                                           holdfast::plugin::host_services host) {
    plugin::json_fields fields(options_json, "postgresql verify options");
    const int jobs = static_cast<int>(fields.integer("jobs").value_or(1));
    fields.reject_unknown();
    if (jobs < 1 || jobs > 64) throw plugin::error(HF_ERR_INVALID_ARGUMENT, "--jobs must be from 1 to 64");
    const auto started = clock::now();
    const snapshot_metadata meta = parse_metadata(source.metadata_json());
    // Where the drill runs: the source's own server, or a scratch cluster of its own.
    std::optional<scratch_cluster> cluster;
    if (config.scratch_initdb) cluster.emplace(*config.scratch_initdb, host);
    const endpoint server = cluster ? cluster->where() : endpoint{config.connection, config.password};
    connection admin = connection::open(server);
    const client_tools tools = find_client_tools(config, std::max(admin.server_version(), meta.server_version_num));

    // The same checks a restore runs, on scratch names that cannot collide with anything.
    restore_options checks;
    restore_plan plan;
    plan.target_version_num = admin.server_version();
    int n = 0;
    for (const auto& d : meta.databases)
        plan.steps.push_back({&d, "holdfast_drill_" + std::to_string(::getpid()) + "_" + std::to_string(n++),
                              restore_mode::create});
    // On the source's server a drill changes nothing outside its scratch databases, so
    // missing roles are a finding; a scratch cluster gets them from the globals.
    const bool globals = meta.globals && has_stream(source, globals_stream);
    checks.no_create_roles = !cluster;
    check_plan(admin, meta, checks, globals, plan);
    if (meta.selection.data_only)
        plan.problems.push_back("a data-only backup cannot be restored into an empty database, so it cannot be "
                                "drilled: drill the schema-and-data backups");
    if (plan.problems.empty() && !plan.roles_to_create.empty())
        create_roles(admin, read_stream(source, std::string(globals_stream)), plan.roles_to_create);

    nlohmann::json databases = nlohmann::json::array();
    bool passed = plan.problems.empty();
    if (passed) {
        restore_selection selection;
        selection.jobs = jobs;
        for (const auto& step : plan.steps) {
            host.throw_if_cancelled();
            const auto db_started = clock::now();
            nlohmann::json entry = {{"name", step.record->name}};
            scratch_database scratch(admin, step.into, *step.record, host);
            const snapshot_archive archive(source, *step.record);
            try {
                feed_pg_restore(tools, server.with_database(scratch.name()), selection, archive.input(), host);
                connection restored = connection::open(server.with_database(scratch.name()));
                passed = compare_tables(restored, *step.record, entry) && passed;
            } catch (const plugin::error& e) {
                if (e.code() != HF_ERR_FAILED) throw;  // cancelled, corrupt, unreachable: the drill did not run
                entry["error"] = e.what();
                passed = false;
            }
            entry["duration_ms"] = ms_since(db_started);
            databases.push_back(entry);
        }
    }
    nlohmann::json report = {{"passed", passed},
                             {"duration_ms", ms_since(started)},
                             {"server_version", version_text(admin.server_version())},
                             {"scratch_cluster", cluster.has_value()},
                             {"databases", databases},
                             {"problems", plan.problems}};
    holdfast::plugin::verify_result result;
    result.report_json = plugin::to_json_text(report);
    result.passed = passed;
    if (!passed) {
        std::string why;
        for (const auto& p : plan.problems) why += (why.empty() ? "" : "; ") + p;
        for (const auto& d : databases) {
            if (d.contains("error")) why += (why.empty() ? "" : "; ") + d["name"].get<std::string>() + ": " + d["error"].get<std::string>();
            for (const auto& m : d.value("mismatches", nlohmann::json::array()))
                why += (why.empty() ? "" : "; ") + m["table"].get<std::string>() + " has " +
                       std::to_string(m["found"].get<std::uint64_t>()) + " rows, the backup recorded " +
                       std::to_string(m["expected"].get<std::uint64_t>());
            for (const auto& t : d.value("missing_tables", nlohmann::json::array()))
                why += (why.empty() ? "" : "; ") + t.get<std::string>() + " is missing after the restore";
            for (const auto& e : d.value("missing_extensions", nlohmann::json::array()))
                why += (why.empty() ? "" : "; ") + std::string("extension ") + e.get<std::string>() + " is missing";
        }
        result.failure = "restore test failed: " + why;
    }
    return result;
}

}  // namespace holdfast::engines::postgresql
