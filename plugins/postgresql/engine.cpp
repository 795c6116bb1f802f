#include "engine.hpp"

#include "backup.hpp"
#include "clone.hpp"
#include "detect.hpp"
#include "probe.hpp"
#include "restore.hpp"
#include "verify.hpp"

namespace holdfast::engines::postgresql {

engine::engine(std::string_view settings_json, holdfast::plugin::host_services host)
    : settings_(parse_settings(settings_json)), host_(host) {}

std::string engine::probe() { return probe_server(settings_); }

void engine::backup(std::string_view options_json, holdfast::plugin::backup_sink& sink) {
    run_backup(settings_, parse_backup_options(options_json), sink, host_);
}

std::string engine::restore(std::string_view options_json, holdfast::plugin::restore_source& source) {
    return run_restore(settings_, parse_restore_options(options_json), source, host_);
}

holdfast::plugin::verify_result engine::verify(std::string_view options_json, holdfast::plugin::restore_source& source) {
    return run_verify(settings_, options_json, source, host_);
}

std::string engine::clone(std::string_view options_json, engine& target) {
    return run_clone(settings_, target.settings_, options_json, host_);
}

void engine::detect(std::string_view path, holdfast::plugin::host_services host,
                    const holdfast::plugin::detect_callback& found) {
    detect_data_directories(std::filesystem::path(path), host, found);
}

}  // namespace holdfast::engines::postgresql

HOLDFAST_ENGINE_PLUGIN(holdfast::engines::postgresql::engine, "postgresql", HOLDFAST_POSTGRESQL_VERSION)
