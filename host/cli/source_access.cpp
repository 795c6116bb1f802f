#include "cli/source_access.hpp"

#include "config/settings.hpp"
#include "config/yaml_nodes.hpp"
#include "core/error.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace holdfast::cli {

namespace {

using config::quote;

const plugins::manifest& engine_named(const plugins::catalog& catalog, std::string_view name) {
    const auto* m = catalog.find(name);
    if (m == nullptr)
        throw plugin_unavailable("no engine plugin named " + quote(name) +
                                 " is installed and enabled ('holdfast plugins' lists them)");
    if (m->kind != plugins::plugin_kind::engine)
        throw usage_error(quote(name) + " is a storage plugin, not an engine");
    return *m;
}

bool schema_has(const plugins::manifest& plugin, const char* property) {
    const auto& schema = plugin.settings_schema;
    return schema.is_object() && schema.contains("properties") && schema["properties"].is_object() &&
           schema["properties"].contains(property);
}

// A URL source, as if it had been configured with `settings: {url: ...}`: the same schema
// check, defaults and messages as a configured one.
resolved_source from_url(const plugins::manifest& engine, std::string_view url) {
    if (!schema_has(engine, "url"))
        throw usage_error("engine " + quote(engine.name) + " takes no URL; configure the source in the " +
                          "configuration file and name it instead");
    YAML::Node node(YAML::NodeType::Map);
    node["url"] = std::string(url);
    config::settings_block block;
    block.prefix = "source " + quote(config::redact_location(url)) + " ";
    block.node = node;
    block.owner.file = "the command line";
    const auto settings = config::resolve_settings(block, engine.settings_schema);
    return {config::redact_location(url), &engine, settings.values.dump()};
}

resolved_source from_config(const plugins::catalog& catalog, const config::source_config& source) {
    const plugins::manifest& engine = engine_named(catalog, source.engine);
    const auto settings = config::resolve_settings(source.settings, engine.settings_schema);
    return {source.name, &engine, settings.values.dump()};
}

std::string configured_names(const config::config& cfg) {
    std::string names;
    for (const auto& s : cfg.sources) names += (names.empty() ? "" : ", ") + s.name;
    return names.empty() ? "none" : names;
}

}  // namespace

bool is_source_url(std::string_view spec) {
    const auto end = spec.find("://");
    return end != std::string_view::npos && end > 0 &&
           std::all_of(spec.begin(), spec.begin() + static_cast<std::ptrdiff_t>(end), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
           });
}

resolved_source resolve_source(const plugins::catalog& catalog, const config::config& cfg, std::string_view spec) {
    if (spec.empty()) throw usage_error("the source is empty: give a configured source's name or a URL");
    if (!is_source_url(spec)) {
        if (const auto* source = cfg.find_source(spec)) return from_config(catalog, *source);
        throw usage_error("no source named " + quote(spec) + " in the configuration (configured: " +
                          configured_names(cfg) + "); name one, or give a URL such as sqlite:///path/to/file.db");
    }
    const std::string scheme = config::scheme_of(spec);
    const auto* engine = catalog.find_by_scheme(scheme, plugins::plugin_kind::engine);
    if (engine == nullptr)
        throw plugin_unavailable("no engine plugin serves " + quote(scheme + "://") +
                                 " URLs ('holdfast plugins' lists the engines and their schemes)");
    return from_url(*engine, spec);
}

resolved_source resolve_restore_source(const plugins::catalog& catalog, const config::config& cfg,
                                       const std::string& name, std::string_view engine_name,
                                       const std::optional<std::string>& url) {
    const plugins::manifest& engine = engine_named(catalog, engine_name);
    if (url) {
        if (!is_source_url(*url)) throw usage_error("--source-url " + quote(*url) + " is not a URL (scheme://...)");
        const std::string scheme = config::scheme_of(*url);
        if (!engine.serves(scheme))
            throw usage_error("the snapshot was made by engine " + quote(engine.name) + ", which does not serve " +
                              quote(scheme + "://") + " URLs");
        resolved_source source = from_url(engine, *url);
        source.name = name;
        return source;
    }
    if (const auto* source = cfg.find_source(name)) {
        if (source->engine != engine.name)
            throw usage_error("source " + quote(name) + " uses engine " + quote(source->engine) +
                              " in the configuration, but the snapshot was made by " + quote(engine.name));
        return from_config(catalog, *source);
    }
    // A one-off backup named its source by URL. One with a password has it redacted: that
    // URL cannot be used as it is.
    if (is_source_url(name) && name.find("<secret>") == std::string::npos) return from_url(engine, name);
    throw usage_error("no source named " + quote(name) + " in the configuration; give --source NAME or " +
                      "--source-url URL to say where to restore");
}

client::engine_instance open_source(plugins::catalog& catalog, const resolved_source& source) {
    return catalog.open_engine(source.engine->name, source.settings_json);
}

}  // namespace holdfast::cli
