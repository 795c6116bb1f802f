#include "cli/engine_options.hpp"

#include "cli/option_values.hpp"
#include "config/load.hpp"
#include "config/locate.hpp"
#include "core/error.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <stdexcept>

namespace holdfast::cli {
namespace {

using plugins::engine_option;
using value_type = engine_option::value_type;

std::vector<const plugins::manifest*> installed_engines(const plugins::catalog& catalog) {
    std::vector<const plugins::manifest*> engines;
    for (const auto& e : catalog.entries())
        if (e.status == plugins::entry::state::ok && e.info != nullptr && e.info->kind == plugins::plugin_kind::engine)
            engines.push_back(e.info.get());
    return engines;
}

bool defined_by(const po::options_description& own, const std::string& flag) {
    return own.find_nothrow(flag, false) != nullptr;
}

std::string value_name(const engine_option& o) {
    if (!o.value_name.empty()) return o.value_name;
    return o.type == value_type::integer ? "N" : "VALUE";
}

// How program_options reads the option: a switch, one integer, one text, or a text per
// occurrence (an array is a repeatable flag).
po::value_semantic* semantic(const engine_option& o) {
    const std::string name = value_name(o);
    switch (o.type) {
        case value_type::boolean: return po::bool_switch();
        case value_type::integer: return po::value<std::int64_t>()->value_name(name);
        case value_type::array: return text_list_value(name.c_str());
        case value_type::string: break;
    }
    return text_value(name.c_str());
}

void add_option(po::options_description& desc, const engine_option& o) {
    desc.add_options()(o.flag.c_str(), semantic(o), o.description.c_str());
}

// "--foo" of "--foo=bar".
std::string flag_of(const po::option& o) {
    const std::string& token = o.original_tokens.empty() ? o.string_key : o.original_tokens.front();
    return token.substr(0, token.find('='));
}

// A "format": "path" value as the engine gets it: absolute, from the working directory.
std::string as_path(const engine_option& o, std::string value) {
    if (!o.path || value.empty()) return value;
    return std::filesystem::absolute(value).lexically_normal().string();
}

// "--rollback app", "--force", "--table a --table b": an option as the user gave it.
std::string as_typed(const engine_option& o, const nlohmann::json& value) {
    const std::string flag = "--" + o.flag;
    if (value.is_boolean()) return flag;
    if (value.is_string()) return flag + " " + value.get<std::string>();
    if (!value.is_array()) return flag + " " + value.dump();
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : " ") + flag + " " + item.get<std::string>();
    return out;
}

}  // namespace

plugins::catalog installed_plugins(const global_options& global) {
    plugins::plugin_policy policy;
    try {
        if (const auto file = config::locate(global)) {
            config::problem_list ignored;  // reported by the command that uses the configuration
            policy = config::read(*file, ignored).plugins;
        }
    } catch (const std::exception&) {
        // Likewise: an unreadable configuration is the command's to report.
    }
    return plugins::catalog::discover(plugins::search_path(global.plugin_path), policy);
}

std::vector<po::options_description> engine_option_sections(const plugins::catalog& catalog, std::string_view command,
                                                            const po::options_description& own) {
    std::vector<po::options_description> sections;
    for (const auto* engine : installed_engines(catalog)) {
        const auto& options = engine->options_for(command);
        po::options_description section("Options of the " + engine->name + " engine");
        for (const auto& o : options)
            if (!defined_by(own, o.flag)) add_option(section, o);
        if (!section.options().empty()) sections.push_back(std::move(section));
    }
    return sections;
}

po::variables_map parse_command_arguments(const std::vector<std::string>& args, const command& cmd,
                                          const po::options_description& own,
                                          const po::positional_options_description& positional,
                                          const plugins::catalog& catalog) {
    // Every flag some engine declares, and whether it takes a value in any of them: then
    // its next argument is its value, never a positional argument.
    std::map<std::string, bool> flags;
    for (const auto* engine : installed_engines(catalog))
        for (const auto& o : engine->options_for(cmd.engine_options))
            if (!defined_by(own, o.flag)) flags[o.flag] = flags[o.flag] || o.type != value_type::boolean;
    po::options_description any_engine;
    for (const auto& [flag, takes_value] : flags)
        any_engine.add_options()(flag.c_str(), takes_value ? text_list_value("VALUE") : po::bool_switch(), "");
    // Positional arguments beyond the command's are collected rather than refused at once:
    // one may be the value of an option nobody declares, which says more.
    constexpr const char* extra = "holdfast-extra-positional";
    any_engine.add_options()(extra, text_list_value("ARG"), "");
    po::positional_options_description with_extra = positional;
    const bool bounded = positional.max_total_count() != std::numeric_limits<unsigned>::max();
    if (bounded) with_extra.add(extra, -1);
    po::options_description all;
    all.add(own).add(any_engine);

    po::parsed_options parsed =
        po::command_line_parser(args).options(all).positional(with_extra).style(parse_style).allow_unregistered().run();
    auto& items = parsed.options;
    for (std::size_t i = 0; i + 1 < items.size(); ++i)
        if (items[i].unregistered && items[i].value.empty() && items[i + 1].position_key >= 0)
            throw usage_error(flag_of(items[i]) + " is not an option of holdfast " + cmd.name +
                              " or of any installed engine; see 'holdfast " + cmd.name + " --help'");
    if (std::any_of(items.begin(), items.end(), [&](const po::option& o) { return o.string_key == extra; }))
        throw po::too_many_positional_options_error();
    // The engine's options are step 2's; unregistered ones are never stored.
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](const po::option& o) { return o.unregistered || flags.contains(o.string_key); }),
                items.end());
    po::variables_map vm;
    po::store(parsed, vm);
    po::notify(vm);
    return vm;
}

engine_option_values parse_engine_options(const context& ctx, const plugins::manifest& engine) {
    if (ctx.current == nullptr || ctx.current->engine_options.empty())
        throw std::logic_error("parse_engine_options: the command takes no engine options");
    const command& cmd = *ctx.current;
    po::options_description own;
    po::positional_options_description positional;
    if (cmd.define) cmd.define(own, positional);

    po::options_description declared;
    std::vector<const engine_option*> used;
    for (const auto& o : engine.options_for(cmd.engine_options)) {
        if (defined_by(own, o.flag)) {
            spdlog::warn("engine {} declares --{} for {}, which holdfast {} has itself; the host's is used", engine.name,
                         o.flag, cmd.engine_options, cmd.name);
            continue;
        }
        add_option(declared, o);
        used.push_back(&o);
    }
    po::options_description all;
    all.add(own).add(declared);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(ctx.arguments).options(all).positional(positional).style(parse_style).run(),
                  vm);
    } catch (const po::unknown_option& e) {
        const std::string name = e.get_option_name();
        throw usage_error(name.substr(0, name.find('=')) + " is not an option of holdfast " + cmd.name + " or of the " +
                          engine.name + " engine; see 'holdfast " + cmd.name + " --help'");
    }
    po::notify(vm);

    engine_option_values values;
    for (const engine_option* o : used) {
        if (!vm.count(o->flag)) continue;
        const po::variable_value& given = vm[o->flag];
        switch (o->type) {
            case value_type::boolean:
                if (!given.as<bool>()) continue;  // a switch not given: the engine's default
                values.json[o->key] = true;
                break;
            case value_type::integer: values.json[o->key] = given.as<std::int64_t>(); break;
            case value_type::string: values.json[o->key] = as_path(*o, given.as<std::string>()); break;
            case value_type::array: {
                nlohmann::json items = nlohmann::json::array();
                for (const auto& item : given.as<std::vector<std::string>>()) items.push_back(as_path(*o, item));
                values.json[o->key] = std::move(items);
                break;
            }
        }
        if (o->standalone) values.standalone.push_back(as_typed(*o, values.json[o->key]));
    }
    return values;
}

}  // namespace holdfast::cli
