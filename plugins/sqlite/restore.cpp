#include "restore.hpp"

#include "inspect.hpp"
#include <holdfast/plugin/json_fields.hpp>
#include "received_copy.hpp"
#include "replace.hpp"

#include <system_error>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;
namespace fs = std::filesystem;

namespace {

// The file to replace, with symbolic links resolved: SQLite keeps the -wal of
// a linked database next to the link's destination, and replacing the link
// itself would leave the database the application opens untouched.
fs::path resolve_target(const fs::path& requested) {
    std::error_code ec;
    fs::path target = fs::weakly_canonical(fs::absolute(requested), ec);
    if (ec) target = fs::absolute(requested).lexically_normal();
    if (target.filename().empty()) throw error(HF_ERR_INVALID_ARGUMENT, "restore target " + requested.string() + " is not a file name");
    auto status = fs::symlink_status(target, ec);
    if (!ec && fs::exists(status) && !fs::is_regular_file(status))
        throw error(HF_ERR_INVALID_ARGUMENT, "restore target " + target.string() + " exists and is not a regular file");
    if (!fs::is_directory(target.parent_path(), ec))
        throw error(HF_ERR_NOT_FOUND, "the directory of the restore target, " + target.parent_path().string() +
                                          ", does not exist");
    return target;
}

}  // namespace

restore_options parse_restore_options(std::string_view json) {
    plugin::json_fields fields(json, "sqlite restore options");
    restore_options options;
    if (auto target = fields.string("target")) {
        if (target->empty() || target->find('\0') != std::string::npos)
            throw error(HF_ERR_INVALID_ARGUMENT, "sqlite restore options: \"target\" must be a file path");
        options.target = *target;
    }
    options.keep_previous = fields.boolean("keep_previous").value_or(true);
    options.dry_run = fields.boolean("dry_run").value_or(false);
    fields.reject_unknown();
    return options;
}

std::string run_restore(const fs::path& source_path, const restore_options& options,
                        holdfast::plugin::restore_source& source, const holdfast::plugin::host_services& host) {
    const fs::path target = resolve_target(options.target.value_or(source_path));
    require_not_in_use(target);  // fail before spending time on the stream

    const std::string prefix = "." + target.filename().string() + ".holdfast-restore-";
    received_copy copy = receive_database(source, target.parent_path(), prefix, host);
    copy_facts facts = check_copy(copy, parse_metadata(source.metadata_json()), host);

    nlohmann::json report = {
        {"target", target.string()},
        {"bytes", copy.bytes},
        {"integrity", "ok"},
        {"row_counts", to_json(facts.row_counts)},
        {"dry_run", options.dry_run},
    };
    std::error_code ec;
    const bool target_exists = fs::exists(fs::symlink_status(target, ec));
    if (options.dry_run) {
        // Everything but the swap ran; the scratch copy goes away with `copy`.
        report["previous"] = options.keep_previous && target_exists ? nlohmann::json(previous_name(target).string())
                                                                     : nlohmann::json(nullptr);
        report["removed"] = nlohmann::json::array();
        for (const auto& file : journals_of(target)) report["removed"].push_back(file.string());
        return plugin::to_json_text(report);
    }

    require_not_in_use(target);  // again: an application may have started meanwhile
    replacement done = replace_database(copy.file, target, options.keep_previous);
    report["previous"] = done.previous ? nlohmann::json(done.previous->string()) : nlohmann::json(nullptr);
    report["removed"] = nlohmann::json::array();
    for (const auto& file : done.removed) report["removed"].push_back(file.string());
    host.info("restored " + target.string() + (done.previous ? " (previous copy kept as " + done.previous->string() + ")" : ""));
    return plugin::to_json_text(report);
}

}  // namespace holdfast::engines::sqlite
