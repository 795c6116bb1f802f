#include "engine.hpp"

#include "detect.hpp"
#include "probe.hpp"
#include "restore.hpp"
#include "snapshot.hpp"
#include "verify.hpp"

namespace holdfast::engines::sqlite {

engine::engine(std::string_view settings_json, holdfast::plugin::host_services host)
    : settings_(parse_settings(settings_json)), host_(host) {}

std::string engine::probe() { return probe_database(settings_.path); }

void engine::backup(std::string_view options_json, holdfast::plugin::backup_sink& sink) {
    run_backup(settings_.path, parse_backup_options(options_json), sink, host_);
}

std::string engine::restore(std::string_view options_json, holdfast::plugin::restore_source& source) {
    return run_restore(settings_.path, parse_restore_options(options_json), source, host_);
}

holdfast::plugin::verify_result engine::verify(std::string_view options_json,
                                               holdfast::plugin::restore_source& source) {
    return run_verify(options_json, source, host_);
}

void engine::detect(std::string_view path, holdfast::plugin::host_services host,
                    const holdfast::plugin::detect_callback& found) {
    detect_databases(std::filesystem::path(path), host, found);
}

}  // namespace holdfast::engines::sqlite

HOLDFAST_ENGINE_PLUGIN(holdfast::engines::sqlite::engine, "sqlite", HOLDFAST_SQLITE_VERSION)
