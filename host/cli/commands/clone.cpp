// `holdfast clone <source> <database> <target-database> [--to SOURCE]`: copy one database of
// a source into a new database, on the same source or on another of the same engine,
// directly through the engine (postgresql: pg_dump piped into pg_restore, with the checks
// and the temporary-database swap of a restore). No repository is involved.
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/restore_shared.hpp"
#include "cli/engine_options.hpp"
#include "cli/option_values.hpp"
#include "cli/source_access.hpp"
#include "config/load.hpp"
#include "config/yaml_nodes.hpp"
#include "core/error.hpp"
#include "progress/json_lines.hpp"
#include "progress/reporter.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace holdfast::cli {
namespace {

using config::quote;

void define(po::options_description& desc, po::positional_options_description& positional) {
    desc.add_options()  //
        ("source", text_value("SOURCE"), "the source to copy from: a configured source's name or a URL")  //
        ("database", text_value("DATABASE"), "the database to copy")  //
        ("target-database", text_value("NAME"), "the name of the new database")  //
        ("to", text_value("SOURCE"),
         "create the copy on this source, a configured name or a URL of the same engine (default: the source "
         "itself)")  //
        ("dry-run", po::bool_switch(), "run the engine's checks and say what would be done; change nothing");
    positional.add("source", 1).add("database", 1).add("target-database", 1);
}

// The engine's table says whether it can clone (ABI 1.1); asked before any source is
// opened, so the answer does not depend on the source being reachable.
void require_clone(plugins::catalog& catalog, const plugins::manifest& engine) {
    const hf_engine_functions& table = catalog.engine(engine.name);  // the host's full-size copy
    if (table.clone == nullptr)
        throw usage_error("engine " + quote(engine.name) + " cannot clone databases (its plugin has no clone " +
                          "function); back the source up and restore the snapshot elsewhere instead");
}

int run(context& ctx, const po::variables_map& vm) {
    if (!vm.count("source") || !vm.count("database") || !vm.count("target-database"))
        throw usage_error("clone needs a source, a database and the new database's name: holdfast clone <source> "
                          "<database> <target-database>; see 'holdfast clone --help'");
    const std::string database = vm["database"].as<std::string>();
    const std::string target_database = vm["target-database"].as<std::string>();
    if (database.empty() || target_database.empty())
        throw usage_error("clone needs non-empty database names; see 'holdfast clone --help'");
    const bool dry_run = vm["dry-run"].as<bool>();

    const config::config cfg = config::load(ctx.global);
    plugins::catalog catalog = plugins::catalog::discover(plugins::search_path(ctx.global.plugin_path), cfg.plugins);
    const resolved_source from = resolve_source(catalog, cfg, vm["source"].as<std::string>());
    const resolved_source to = vm.count("to") ? resolve_source(catalog, cfg, vm["to"].as<std::string>()) : from;
    if (to.engine->name != from.engine->name)
        throw usage_error("--to " + quote(to.name) + " uses engine " + quote(to.engine->name) + " but " +
                          quote(from.name) + " uses " + quote(from.engine->name) +
                          ": clone copies between sources of one engine");
    nlohmann::json options = parse_engine_options(ctx, *from.engine).json;
    options["database"] = database;
    options["target"] = target_database;
    if (dry_run) options["dry_run"] = true;
    require_clone(catalog, *from.engine);

    client::engine_instance source = open_source(catalog, from);
    client::engine_instance target = open_source(catalog, to);
    progress::reporter progress(progress::choose_display(ctx.global.json), ctx.out);
    progress.start_phase("clone");
    const nlohmann::json report = parse_report(source.clone(target, options.dump()));
    progress.finish();

    if (ctx.global.json) {
        progress::print_result(ctx.out, {{"source", from.name},
                                         {"database", database},
                                         {"to", to.name},
                                         {"target", target_database},
                                         {"engine", from.engine->name},
                                         {"dry_run", dry_run},
                                         {"report", report}});
        return 0;
    }
    ctx.out << (dry_run ? "checked the clone of database " : "cloned database ") << database << " of " << from.name
            << " into " << target_database << (to.name == from.name ? "" : " on " + to.name) << " (engine "
            << from.engine->name << ")" << (dry_run ? "; dry run, nothing changed" : "") << '\n';
    print_report(ctx.out, report);
    return 0;
}

}  // namespace

command clone_command() {
    command c;
    c.name = "clone";
    c.summary = "Copy a database into a new one, on the same source or another, without a repository";
    c.usage = "holdfast clone <source> <database> <target-database> [--to SOURCE] [--dry-run] [engine options] [--json]";
    c.details =
        "SOURCE is a configured source's name or a URL (postgresql://...). The engine copies DATABASE into a new "
        "database TARGET-DATABASE on the same source, or on --to SOURCE, which must use the same engine; "
        "postgresql pipes pg_dump into pg_restore through the same checks and temporary-database swap as a "
        "restore. Only engines whose plugin can clone are accepted (exit 2 otherwise). The engine's options "
        "are listed below; it prints its report.";
    c.define = define;
    c.run = run;
    c.engine_options = "clone";
    return c;
}

}  // namespace holdfast::cli
