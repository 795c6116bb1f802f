// `holdfast sources`: every source of the configuration with its engine's probe (reachable,
// version, databases and sizes, privileges, problems). A source that is down is what this
// command reports, not a failure of it; the exit code still says whether all is well, so a
// monitoring script can run it.
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"
#include "cli/source_access.hpp"
#include "cli/text_table.hpp"
#include "cli/units.hpp"
#include "config/load.hpp"
#include "core/cancellation.hpp"
#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {
namespace {

using json = nlohmann::json;

struct source_status {
    std::string name;
    std::string engine;
    json probe;            // the engine's answer; null when the source could not be opened
    std::string failure;   // why it could not be opened or probed
    bool reachable = false;
    std::vector<std::string> problems;
};

// The probe's problems: its "problems" list and its "error", or why there was no probe.
std::vector<std::string> problems_of(const json& probe, const std::string& failure) {
    std::vector<std::string> problems;
    if (!failure.empty()) problems.push_back(failure);
    if (!probe.is_object()) return problems;
    if (auto error = probe.find("error"); error != probe.end() && error->is_string())
        problems.push_back(error->get<std::string>());
    if (auto list = probe.find("problems"); list != probe.end() && list->is_array())
        for (const auto& p : *list) problems.push_back(p.is_string() ? p.get<std::string>() : p.dump());
    return problems;
}

source_status probe_source(plugins::catalog& catalog, const config::config& cfg, const config::source_config& s) {
    source_status status{s.name, s.engine, nullptr, {}, false, {}};
    try {
        const resolved_source source = resolve_source(catalog, cfg, s.name);
        client::engine_instance engine = open_source(catalog, source);
        const std::string answer = engine.probe();
        status.probe = json::parse(answer, nullptr, false);
        if (!status.probe.is_object()) {
            status.failure = "the engine's probe is not a JSON object: " + answer.substr(0, 200);
            status.probe = nullptr;
        }
    } catch (const std::exception& e) {
        if (cancellation_requested()) throw;  // Ctrl-C stops the listing, not just this source
        status.failure = e.what();
    }
    status.reachable = status.probe.is_object() && status.probe.value("reachable", false);
    status.problems = problems_of(status.probe, status.failure);
    return status;
}

// "server 15.4", else the first "<x>_version" the engine reports ("sqlite 3.40.1").
std::string version_of(const json& probe) {
    if (auto v = probe.find("server_version"); v != probe.end() && v->is_string()) return "server " + v->get<std::string>();
    for (const auto& [key, value] : probe.items()) {
        const auto at = key.rfind("_version");
        if (at != std::string::npos && at > 0 && at + 8 == key.size() && value.is_string())
            return key.substr(0, at) + " " + value.get<std::string>();
    }
    return {};
}

// One line: version, databases and their total size (or the source's size), first problem.
std::string summary_of(const source_status& s) {
    std::vector<std::string> parts;
    if (s.probe.is_object()) {
        if (auto version = version_of(s.probe); !version.empty()) parts.push_back(version);
        if (auto databases = s.probe.find("databases"); databases != s.probe.end() && databases->is_array()) {
            std::uint64_t total = 0;
            for (const auto& d : *databases)
                if (d.is_object() && d.contains("size") && d["size"].is_number_unsigned()) total += d["size"].get<std::uint64_t>();
            parts.push_back(std::to_string(databases->size()) + (databases->size() == 1 ? " database, " : " databases, ") +
                            human_bytes(total));
        } else if (auto size = s.probe.find("size"); size != s.probe.end() && size->is_number_unsigned()) {
            parts.push_back(human_bytes(size->get<std::uint64_t>()));
        }
    }
    if (!s.problems.empty())
        parts.push_back("problem: " + s.problems.front() +
                        (s.problems.size() > 1 ? " (and " + std::to_string(s.problems.size() - 1) + " more)" : ""));
    std::string line;
    for (const auto& part : parts) line += (line.empty() ? "" : "; ") + part;
    return line;
}

int run(context& ctx, const po::variables_map&) {
    const config::config cfg = config::load(ctx.global);
    plugins::catalog catalog = plugins::catalog::discover(plugins::search_path(ctx.global.plugin_path), cfg.plugins);
    std::vector<source_status> statuses;
    for (const auto& s : cfg.sources) statuses.push_back(probe_source(catalog, cfg, s));
    bool all_well = true;
    for (const auto& s : statuses) all_well = all_well && s.reachable && s.problems.empty();

    if (ctx.global.json) {
        json list = json::array();
        for (const auto& s : statuses)
            list.push_back({{"name", s.name},
                            {"engine", s.engine},
                            {"reachable", s.reachable},
                            {"problems", s.problems},
                            {"summary", summary_of(s)},
                            {"probe", s.probe},
                            {"error", s.failure.empty() ? json(nullptr) : json(s.failure)}});
        ctx.out << list.dump(2) << '\n';
    } else if (statuses.empty()) {
        ctx.out << "no sources configured" << (cfg.file ? " in " + cfg.file->string() : std::string(" (no configuration file found)"))
                << "; add them under sources: (see 'holdfast config example')\n";
    } else {
        text_table table({"NAME", "ENGINE", "REACHABLE", "SUMMARY"});
        for (const auto& s : statuses) table.add({s.name, s.engine, s.reachable ? "yes" : "no", summary_of(s)});
        table.print(ctx.out);
    }
    return all_well ? 0 : static_cast<int>(exit_code::failure);
}

}  // namespace

command sources_command() {
    command c;
    c.name = "sources";
    c.summary = "List the configured sources and probe each: reachable, version, size, problems";
    c.usage = "holdfast sources [--json]";
    c.details =
        "Opens every source of the configuration with its engine and runs the engine's probe: whether the source "
        "is reachable, its server version, its databases and their sizes, missing privileges and other problems. "
        "Prints NAME, ENGINE, REACHABLE and a one-line summary (version, databases and total size, the first "
        "problem); --json gives every field of each probe. An unreachable source is reported, not an error of "
        "the command, but the exit code is 1 when any source is unreachable or has problems, 0 when all are well.";
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
