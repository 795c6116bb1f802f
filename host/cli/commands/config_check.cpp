// `holdfast config check`: load the configuration and check it against the
// installed plugins, printing every problem (never a secret) or "ok: ...".
#include "cli/commands/commands.hpp"
#include "config/check.hpp"
#include "config/load.hpp"
#include "config/locate.hpp"
#include "config/yaml_nodes.hpp"
#include "core/error.hpp"
#include "core/suggest.hpp"
#include "plugins/catalog.hpp"

#include <algorithm>

namespace holdfast::cli {
namespace {

using plugins::plugin_kind;
using state = plugins::entry::state;
using config::quote;

// The manifests found under `name`, for saying why the winner is missing.
std::vector<const plugins::entry*> entries_named(const plugins::catalog& catalog, std::string_view name) {
    std::vector<const plugins::entry*> found;
    for (const auto& e : catalog.entries())
        if (e.info && e.info->name == name) found.push_back(&e);
    return found;
}

const plugins::manifest* find_engine(const plugins::catalog& catalog, std::string_view name, std::string& why) {
    if (const auto* m = catalog.find(name)) {
        if (m->kind == plugin_kind::engine) return m;
        why = quote(name) + " is a storage plugin, not an engine";
        return nullptr;
    }
    for (const auto* e : entries_named(catalog, name)) {
        if (e->status == state::disabled) {
            why = "engine plugin " + quote(name) + " is disabled by the plugins section";
            return nullptr;
        }
        if (e->status == state::invalid || e->status == state::load_failed) {
            why = plugins::describe(*e);
            return nullptr;
        }
    }
    std::vector<std::string> engines;
    for (const auto& e : catalog.entries())
        if (e.info && e.info->kind == plugin_kind::engine) engines.push_back(e.info->name);
    why = "no engine plugin named " + quote(name) + " is installed";
    if (auto match = closest_match(name, engines)) why += "; did you mean " + quote(*match) + "?";
    else why += " ('holdfast plugins' lists what is)";
    return nullptr;
}

const plugins::manifest* find_storage(const plugins::catalog& catalog, std::string_view scheme, std::string& why) {
    if (const auto* m = catalog.find_by_scheme(scheme, plugin_kind::storage)) return m;
    for (const auto& e : catalog.entries()) {
        if (!e.info || e.info->kind != plugin_kind::storage || !e.info->serves(scheme)) continue;
        if (e.status == state::disabled) {
            why = "storage plugin " + quote(e.info->name) + " serves " + quote(scheme) +
                  " locations but is disabled by the plugins section";
            return nullptr;
        }
    }
    why = "no storage plugin serves " + quote(scheme) + " locations ('holdfast plugins' lists what is installed)";
    return nullptr;
}

int run(context& ctx, const po::variables_map&) {
    auto file = config::locate(ctx.global);
    if (!file) {
        std::string places;
        for (const auto& place : config::default_locations()) places += (places.empty() ? "" : ", ") + place.string();
        throw usage_error("no configuration file found (looked for " + places +
                          "); name one with --config FILE or HOLDFAST_CONFIG");
    }
    config::problem_list problems;
    const config::config cfg = config::read(*file, problems);
    const auto catalog = plugins::catalog::discover(plugins::search_path(ctx.global.plugin_path), cfg.plugins);

    config::plugin_lookup lookup;
    lookup.engine = [&](std::string_view name, std::string& why) { return find_engine(catalog, name, why); };
    lookup.storage = [&](std::string_view scheme, std::string& why) { return find_storage(catalog, scheme, why); };
    for (const auto& e : catalog.entries())
        if (e.info) lookup.known_names.push_back(e.info->name);

    const auto report = config::check(cfg, lookup, problems);
    return config::print_report(ctx.out, cfg, report, problems, ctx.global.json);
}

}  // namespace

command config_check_command() {
    return {
        "config check",
        "validate the configuration file against the plugins' settings schemas",
        "holdfast config check [--json]",
        "Loads the configuration file (--config, HOLDFAST_CONFIG, ./holdfast.yaml, "
        "~/.config/holdfast/holdfast.yaml, /etc/holdfast/holdfast.yaml), resolves ${VAR} and secrets, and "
        "checks every source and the repository against the settings schema of the plugin that serves it. "
        "Prints every problem as file:line:column: key: problem, or \"ok: ...\"; secret values are never "
        "printed. Exit 0 when the configuration is valid, 2 when it is not.",
        [](po::options_description&, po::positional_options_description&) {},
        run,
        {},  // no engine options
    };
}

}  // namespace holdfast::cli
