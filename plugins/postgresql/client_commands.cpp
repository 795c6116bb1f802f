#include "client_commands.hpp"

namespace holdfast::engines::postgresql {

program_run pg_dump_run(const client_tools& tools, const endpoint& database, const selection_record& selection,
                        const std::optional<std::string>& snapshot) {
    program_run run{tools.pg_dump, {"--dbname=" + database.conninfo(), "--format=custom", "--compress=0",
                                    "--no-password"}, database.child_environment(), false, true};
    auto& args = run.arguments;
    if (snapshot) args.push_back("--snapshot=" + *snapshot);
    for (const auto& t : selection.tables) args.push_back("--table=" + t);
    for (const auto& t : selection.exclude_tables) args.push_back("--exclude-table=" + t);
    for (const auto& s : selection.schemas) args.push_back("--schema=" + s);
    for (const auto& s : selection.exclude_schemas) args.push_back("--exclude-schema=" + s);
    if (selection.schema_only) args.push_back("--schema-only");
    if (selection.data_only) args.push_back("--data-only");
    return run;
}

program_run pg_dumpall_globals_run(const client_tools& tools, const endpoint& server, bool role_passwords) {
    program_run run{tools.pg_dumpall, {"--dbname=" + server.conninfo(), "--globals-only", "--no-password"},
                    server.child_environment(), false, true};
    if (!role_passwords) run.arguments.push_back("--no-role-passwords");
    return run;
}

namespace {

program_run pg_restore_base(const client_tools& tools, const endpoint& database, bool from_stdin) {
    return {tools.pg_restore, {"--dbname=" + database.conninfo(), "--exit-on-error", "--no-password"},
            database.child_environment(), from_stdin, false};
}

}  // namespace

program_run pg_restore_run(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                           const std::optional<std::string>& archive_file) {
    program_run run = pg_restore_base(tools, database, !archive_file);
    auto& args = run.arguments;
    for (const auto& t : selection.tables) args.push_back("--table=" + t);
    for (const auto& s : selection.schemas) args.push_back("--schema=" + s);
    if (selection.schema_only) args.push_back("--schema-only");
    if (selection.data_only) args.push_back("--data-only");
    if (selection.clean_in_one_transaction) {
        args.push_back("--clean");
        args.push_back("--if-exists");
    }
    if (selection.clean_in_one_transaction || selection.data_only) args.push_back("--single-transaction");
    if (selection.jobs > 1) args.push_back("--jobs=" + std::to_string(selection.jobs));
    if (archive_file) args.push_back(*archive_file);
    return run;
}

program_run pg_restore_step_run(const client_tools& tools, const endpoint& database, const pg_restore_step& step) {
    program_run run = pg_restore_base(tools, database, !step.archive_file);
    auto& args = run.arguments;
    for (const auto& s : step.sections) args.push_back("--section=" + s);
    if (step.list_file) args.push_back("--use-list=" + *step.list_file);
    if (step.jobs > 1) args.push_back("--jobs=" + std::to_string(step.jobs));
    if (step.archive_file) args.push_back(*step.archive_file);
    return run;
}

}  // namespace holdfast::engines::postgresql
