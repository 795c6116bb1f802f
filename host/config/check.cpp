#include "config/check.hpp"

#include "config/secrets.hpp"
#include "config/settings.hpp"
#include "config/yaml_nodes.hpp"
#include "core/error.hpp"
#include "core/suggest.hpp"

#include <ostream>

namespace holdfast::config {
namespace {

void check_names(const std::vector<std::string>& names, const std::vector<position>& where, std::string_view list,
                 const plugin_lookup& lookup, problem_list& problems) {
    const auto& known = lookup.known_names;
    for (std::size_t i = 0; i < names.size() && i < where.size(); ++i) {
        if (std::find(known.begin(), known.end(), names[i]) != known.end()) continue;
        // A warning: a configuration may be shared by machines with different plugins installed.
        std::string message = "plugins." + std::string(list) + "[" + std::to_string(i) + "]: no plugin named " +
                              quote(names[i]) + " was found";
        if (auto match = closest_match(names[i], known)) message += "; did you mean " + quote(*match) + "?";
        problems.warning(where[i], message);
    }
}

std::string plural(std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

check_report check(const config& cfg, const plugin_lookup& lookup, problem_list& problems) {
    check_report report;
    check_names(cfg.plugins.enable, cfg.enable_at, "enable", lookup, problems);
    check_names(cfg.plugins.disable, cfg.disable_at, "disable", lookup, problems);

    if (const auto& repo = cfg.repository) {
        if (repo->password) reveal(*repo->password, "repository." + repo->password->key, problems);
        if (!repo->location.empty()) {
            std::string why;
            if (const auto* storage = lookup.storage(repo->scheme(), why))
                report.repository_settings =
                    resolve_repository_settings(*repo, storage->settings_schema, problems).redacted();
            else
                problems.error(repo->location_at, "repository.location: " + why);
        }
    }
    for (const auto& source : cfg.sources) {
        check_report::source_result result{source.name, source.engine, std::nullopt};
        if (!source.engine.empty()) {
            std::string why;
            if (const auto* engine = lookup.engine(source.engine, why))
                result.settings = resolve_settings(source.settings, engine->settings_schema, problems).redacted();
            else
                problems.error(source.engine_at, source.settings.prefix + "engine: " + why);
        }
        report.sources.push_back(std::move(result));
    }
    return report;
}

int print_report(std::ostream& out, const config& cfg, const check_report& report, const problem_list& problems,
                 bool json) {
    const bool valid = !problems.has_errors();
    const std::string file = cfg.file ? cfg.file->string() : std::string();
    const std::string location = cfg.repository ? redact_location(cfg.repository->location) : std::string();
    if (json) {
        nlohmann::json doc = {{"file", file}, {"valid", valid}};
        doc["repository"] = nullptr;
        if (cfg.repository) {
            doc["repository"] = {{"location", location}, {"scheme", cfg.repository->scheme()}};
            if (report.repository_settings) doc["repository"]["settings"] = *report.repository_settings;
        }
        doc["sources"] = nlohmann::json::array();
        for (const auto& source : report.sources) {
            nlohmann::json entry = {{"name", source.name}, {"engine", source.engine}};
            if (source.settings) entry["settings"] = *source.settings;
            doc["sources"].push_back(std::move(entry));
        }
        doc["problems"] = nlohmann::json::array();
        for (const auto& p : problems.sorted())
            doc["problems"].push_back({{"file", p.where.file},
                                       {"line", p.where.line},
                                       {"column", p.where.column},
                                       {"severity", p.level == problem::severity::error ? "error" : "warning"},
                                       {"message", p.message}});
        out << doc.dump(2) << '\n';
    } else {
        for (const auto& p : problems.sorted()) out << to_string(p) << '\n';
        if (valid)
            out << "ok: " << file << ": " << plural(cfg.sources.size(), "source") << ", "
                << (cfg.repository ? "repository " + location : std::string("no repository")) << '\n';
    }
    return static_cast<int>(valid ? exit_code::success : exit_code::usage);
}

}  // namespace holdfast::config
