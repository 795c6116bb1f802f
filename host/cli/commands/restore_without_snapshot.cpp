#include "cli/commands/restore_without_snapshot.hpp"

#include "cli/commands/restore_shared.hpp"
#include "cli/engine_options.hpp"
#include "cli/source_access.hpp"
#include "config/load.hpp"
#include "config/yaml_nodes.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "progress/json_lines.hpp"

#include <holdfast/client/engine.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {
namespace {

// What an engine reads in a restore that needs no snapshot: no streams, no metadata.
class no_snapshot final : public client::restore_origin {
public:
    const std::string& metadata_json() const override { return metadata_; }
    std::vector<client::stream_entry> streams() override { return {}; }
    std::unique_ptr<client::stream_reader> open(const std::string& name) override {
        throw client::plugin_error(HF_ERR_NOT_FOUND, "no stream '" + name + "': this restore has no snapshot");
    }

private:
    std::string metadata_ = "{}";
};

// The engine's options that need no snapshot, for messages: "--rollback".
std::string standalone_flags(const plugins::manifest& engine) {
    std::string flags;
    for (const auto& o : engine.options_for("restore"))
        if (o.standalone) flags += (flags.empty() ? "--" : ", --") + o.flag;
    return flags;
}

}  // namespace

int restore_without_snapshot(context& ctx, const po::variables_map& vm, const std::optional<std::string>& name,
                             const std::optional<std::string>& url) {
    if (!name && !url)
        throw usage_error("restore needs a snapshot: an id, a prefix of one, or 'latest'; see 'holdfast restore --help'");
    if (url && !is_source_url(*url)) throw usage_error("--source-url " + config::quote(*url) + " is not a URL (scheme://...)");
    const config::config cfg = config::load(ctx.global);
    plugins::catalog catalog = plugins::catalog::discover(plugins::search_path(ctx.global.plugin_path), cfg.plugins);
    const resolved_source source = resolve_source(catalog, cfg, url.value_or(name.value_or("")));
    const engine_option_values given = parse_engine_options(ctx, *source.engine);
    if (given.standalone.empty()) {
        const std::string flags = standalone_flags(*source.engine);
        throw usage_error("restore needs a snapshot: an id, a prefix of one, or 'latest'" +
                          (flags.empty() ? std::string()
                                         : "; without one, only " + flags + " of the " + source.engine->name +
                                               " engine") +
                          "; see 'holdfast restore --help'");
    }
    const bool dry_run = vm["dry-run"].as<bool>();
    client::engine_instance engine = open_source(catalog, source);
    no_snapshot origin;
    const nlohmann::json report = parse_report(engine.restore(restore_options(given.json, vm), origin));
    if (ctx.global.json) {
        progress::print_result(ctx.out, {{"snapshot", nullptr},
                                         {"source", source.name},
                                         {"engine", source.engine->name},
                                         {"dry_run", dry_run},
                                         {"report", report}});
    } else {
        ctx.out << (dry_run ? "checked " : "ran ") << join(given.standalone, " ") << " on " << source.name
                << " (engine " << source.engine->name << ")" << (dry_run ? "; dry run, nothing changed" : "") << '\n';
        print_report(ctx.out, report);
    }
    return 0;
}

}  // namespace holdfast::cli
