// `holdfast plugins`: every plugin manifest on the search path, whether it
// loads, and why not. Broken plugins are listed, not fatal: the point of the
// command is to diagnose them.
#include "cli/command.hpp"
#include "core/text.hpp"
#include "cli/commands/commands.hpp"
#include "config/load.hpp"
#include "plugins/catalog.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {
namespace {

// The plugins the configuration file allows (all of them when there is no
// file). Only the file's structure is read: no secret is resolved here.
plugins::plugin_policy configured_policy(const context& ctx) { return config::load(ctx.global).plugins; }

std::string status_text(const plugins::entry& e) {
    return e.status == plugins::entry::state::ok ? std::string("ok") : e.reason;
}

bool broken(const plugins::entry& e) {
    return e.status == plugins::entry::state::invalid || e.status == plugins::entry::state::load_failed;
}

void print_table(std::ostream& out, const std::vector<plugins::entry>& entries) {
    constexpr std::size_t columns = 7;
    using row = std::array<std::string, columns>;
    std::vector<row> rows{{"NAME", "KIND", "VERSION", "SCHEMES", "CAPABILITIES", "MANIFEST", "STATUS"}};
    auto or_dash = [](std::string text) { return text.empty() ? std::string("-") : text; };
    for (const auto& e : entries) {
        const auto* m = e.info.get();
        rows.push_back({m != nullptr ? m->name : "-", m != nullptr ? std::string(plugins::to_string(m->kind)) : "-",
                        m != nullptr ? m->version : "-", or_dash(m != nullptr ? join(m->schemes, ",") : ""),
                        or_dash(m != nullptr ? join(m->capabilities, ",") : ""), e.manifest_file.string(),
                        status_text(e)});
    }
    std::array<std::size_t, columns> width{};
    for (const auto& r : rows)
        for (std::size_t i = 0; i < columns; ++i) width[i] = std::max(width[i], r[i].size());
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < columns; ++i) {
            line += r[i];
            // The last column (a reason of any length) is not padded.
            if (i + 1 < columns) line.append(width[i] - r[i].size() + 2, ' ');
        }
        out << line << '\n';
    }
}

// Keys in a fixed, readable order (name first) rather than alphabetical.
void print_json(std::ostream& out, const std::vector<plugins::entry>& entries) {
    using json = nlohmann::ordered_json;
    auto list = json::array();
    for (const auto& e : entries) {
        const auto* m = e.info.get();
        auto or_null = [&](auto field) { return m != nullptr ? json(field(*m)) : json(nullptr); };
        list.push_back({
            {"name", or_null([](const plugins::manifest& x) { return x.name; })},
            {"kind", or_null([](const plugins::manifest& x) { return std::string(plugins::to_string(x.kind)); })},
            {"version", or_null([](const plugins::manifest& x) { return x.version; })},
            {"description", or_null([](const plugins::manifest& x) { return x.description; })},
            {"abi_version", or_null([](const plugins::manifest& x) {
                 return std::to_string(x.abi_major) + "." + std::to_string(x.abi_minor);
             })},
            {"schemes", m != nullptr ? json(m->schemes) : json::array()},
            {"capabilities", m != nullptr ? json(m->capabilities) : json::array()},
            {"manifest", e.manifest_file.string()},
            {"library", or_null([](const plugins::manifest& x) { return x.library.string(); })},
            {"state", plugins::to_string(e.status)},
            {"status", status_text(e)},
            {"reason", e.reason.empty() ? json(nullptr) : json(e.reason)},
        });
    }
    out << list.dump(2) << '\n';
}

int run(context& ctx, const po::variables_map&) {
    const auto directories = plugins::search_path(ctx.global.plugin_path);
    for (const auto& dir : directories) spdlog::debug("plugin search path: {}", dir.string());

    auto catalog = plugins::catalog::discover(directories, configured_policy(ctx));
    catalog.load_all();
    const auto& entries = catalog.entries();

    if (ctx.global.json) {
        print_json(ctx.out, entries);
    } else if (entries.empty()) {
        std::vector<std::string> searched;
        for (const auto& dir : directories) searched.push_back(dir.string());
        ctx.out << "no plugin manifests found; searched: " << (searched.empty() ? "(nothing)" : join(searched, ", "))
                << '\n';
    } else {
        print_table(ctx.out, entries);
    }
    for (const auto& e : entries)
        if (broken(e)) ctx.err << "holdfast: " << plugins::describe(e) << '\n';
    return 0;
}

}  // namespace

command plugins_command() {
    command c;
    c.name = "plugins";
    c.summary = "List the plugins found on the plugin search path and whether they load";
    c.usage = "holdfast plugins [--json] [--plugin-path DIR]...";
    c.details =
        "Lists every plugin manifest found on the search path (see docs/plugins.md), in search order, "
        "with its name, kind, version, URL schemes, capabilities, manifest file and status: \"ok\", or "
        "why it is shadowed, disabled or cannot be loaded. Every plugin's library is loaded to check it. "
        "Broken plugins are also reported on stderr, one line each; the exit code is 0 all the same.";
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
