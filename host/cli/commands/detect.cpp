// `holdfast detect <path>`: ask every engine that can detect (its table's detect entry) which
// of its databases lie under a directory: SQLite files, PostgreSQL data directories, ... A
// starting point for a configuration; nothing is opened for writing.
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"
#include "cli/option_values.hpp"
#include "cli/text_table.hpp"
#include "cli/units.hpp"
#include "config/load.hpp"
#include "config/yaml_nodes.hpp"
#include "core/cancellation.hpp"
#include "core/error.hpp"

#include <holdfast/client/engine.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {
namespace {

using json = nlohmann::json;
using config::quote;

void define(po::options_description& desc, po::positional_options_description& positional) {
    desc.add_options()  //
        ("path", text_value("PATH"), "the directory to scan (recursively, read only)")  //
        ("engine", text_value("NAME"), "scan with this engine only");
    positional.add("path", 1);
}

// The engines to ask: the one named, or every installed engine whose plugin can detect.
std::vector<const plugins::manifest*> engines_to_ask(plugins::catalog& catalog, const std::optional<std::string>& only) {
    std::vector<const plugins::manifest*> engines;
    if (only) {
        const auto* m = catalog.find(*only);
        if (m == nullptr || m->kind != plugins::plugin_kind::engine)
            throw plugin_unavailable("no engine plugin named " + quote(*only) +
                                     " is installed and enabled ('holdfast plugins' lists them)");
        if (!client::engine_instance::can_detect(&catalog.engine(m->name)))
            throw usage_error("engine " + quote(m->name) + " cannot detect its databases; leave out --engine to ask "
                              "every engine that can");
        engines.push_back(m);
        return engines;
    }
    for (const auto& e : catalog.entries())
        if (e.status == plugins::entry::state::ok && e.info != nullptr && e.info->kind == plugins::plugin_kind::engine)
            engines.push_back(e.info.get());
    return engines;
}

// "page_size=4096 page_count=3": what a find says besides engine, path and size.
std::string details_of(const json& find) {
    std::string text;
    for (const auto& [key, value] : find.items()) {
        if (key == "engine" || key == "path" || key == "size") continue;
        text += (text.empty() ? "" : " ") + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    }
    return text;
}

int run(context& ctx, const po::variables_map& vm) {
    if (!vm.count("path")) throw usage_error("detect needs a directory to scan; see 'holdfast detect --help'");
    const std::filesystem::path path = std::filesystem::absolute(vm["path"].as<std::string>()).lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec))
        throw usage_error(quote(path.string()) + " is not a directory; give the directory to scan");
    const std::optional<std::string> only =
        vm.count("engine") ? std::optional(vm["engine"].as<std::string>()) : std::nullopt;

    const config::config cfg = config::load(ctx.global);
    plugins::catalog catalog = plugins::catalog::discover(plugins::search_path(ctx.global.plugin_path), cfg.plugins);
    json finds = json::array();
    bool failed = false;
    for (const auto* engine : engines_to_ask(catalog, only)) {
        try {
            const hf_engine_functions& table = catalog.engine(engine->name);
            if (!client::engine_instance::can_detect(&table)) continue;
            for (const auto& text : client::engine_instance::detect(&table, path.string(), catalog.host_services(engine->name))) {
                json find = json::parse(text, nullptr, false);
                if (!find.is_object()) find = {{"path", text}};
                if (!find.contains("engine")) find["engine"] = engine->name;
                finds.push_back(std::move(find));
            }
        } catch (const std::exception& e) {
            // One engine failing (its plugin does not load, its scan fails) does not hide the
            // others' finds; the exit code says the list may be incomplete.
            if (only || cancellation_requested()) throw;
            spdlog::warn("engine {} could not scan {}: {}", engine->name, path.string(), e.what());
            failed = true;
        }
    }

    if (ctx.global.json) {
        ctx.out << finds.dump(2) << '\n';
    } else if (finds.empty()) {
        ctx.out << "nothing found under " << path.string() << '\n';
    } else {
        text_table table({"ENGINE", "SIZE", "PATH", "DETAILS"});
        table.align_right(1);
        for (const auto& find : finds) {
            const json& size = find.contains("size") ? find["size"] : json();
            table.add({find["engine"].is_string() ? find["engine"].get<std::string>() : find["engine"].dump(),
                       size.is_number_unsigned() ? human_bytes(size.get<std::uint64_t>()) : "",
                       find.contains("path") && find["path"].is_string() ? find["path"].get<std::string>() : "",
                       details_of(find)});
        }
        table.print(ctx.out);
    }
    return failed ? static_cast<int>(exit_code::failure) : 0;
}

}  // namespace

command detect_command() {
    command c;
    c.name = "detect";
    c.summary = "Find the databases under a directory that the installed engines can back up";
    c.usage = "holdfast detect <path> [--engine NAME] [--json]";
    c.details =
        "Every installed engine that can detect (sqlite: database files by their header; postgresql: data "
        "directories) scans PATH recursively, read only, and each find is listed with its engine, size, path and "
        "what else the engine says about it; --json gives the engines' objects. With --engine only that engine "
        "scans. Exit 0 when the scan ran (finding nothing included), 1 when an engine failed to scan (the others' "
        "finds are still listed).";
    c.define = define;
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
