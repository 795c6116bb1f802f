#include "probe.hpp"

#include <holdfast/plugin/json_fields.hpp>

#include <nlohmann/json.hpp>

#include <system_error>

namespace holdfast::engines::exec {

namespace {

// One command's report; `problem` receives the first reason it cannot run.
nlohmann::json check_command(const command& cmd, const settings& config, std::string& problem) {
    const std::string path = config.search_path();
    nlohmann::json out = {{"form", cmd.form_name()}, {"command", cmd.name()}};
    if (cmd.kind == command::form::argv) {
        auto found = find_executable(cmd.argv.front(), path, config.working_directory);
        out["executable"] = found ? nlohmann::json(found->string()) : nlohmann::json(nullptr);
        out["found"] = found.has_value();
        if (!found && problem.empty()) problem = "program '" + cmd.argv.front() + "' not found on PATH or not executable";
        return out;
    }
    auto shell = find_executable(shell_path, path, config.working_directory);
    out["shell"] = shell_path;
    // The script's first program, when it names one: "pg_dump db | gzip" -> pg_dump.
    const std::string first = cmd.name();
    std::optional<std::filesystem::path> program;
    if (!shell_handles_itself(first)) program = find_executable(first, path, config.working_directory);
    out["executable"] = program ? nlohmann::json(program->string()) : nlohmann::json(nullptr);
    const bool ok = shell.has_value() && (program.has_value() || shell_handles_itself(first));
    out["found"] = ok;
    if (!shell && problem.empty()) problem = std::string(shell_path) + " is missing or not executable";
    if (shell && !ok && problem.empty()) problem = "program '" + first + "' not found on PATH or not executable";
    return out;
}

}  // namespace

std::string probe_commands(const settings& config) {
    std::string problem;
    nlohmann::json report = {{"reachable", false}, {"stream_name", config.stream_name}};
    report["backup_command"] =
        config.backup_command ? check_command(*config.backup_command, config, problem) : nlohmann::json(nullptr);
    report["restore_command"] =
        config.restore_command ? check_command(*config.restore_command, config, problem) : nlohmann::json(nullptr);
    if (!config.working_directory.empty()) {
        std::error_code ec;
        const bool exists = std::filesystem::is_directory(config.working_directory, ec);
        report["working_directory"] = config.working_directory.string();
        if (!exists && problem.empty()) problem = "working directory " + config.working_directory.string() + " does not exist";
    }
    report["reachable"] = problem.empty();
    if (!problem.empty()) report["error"] = problem;
    return plugin::to_json_text(report);
}

}  // namespace holdfast::engines::exec
