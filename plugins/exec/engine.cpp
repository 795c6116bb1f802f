#include "engine.hpp"

#include "probe.hpp"
#include "run_backup.hpp"
#include "run_restore.hpp"

namespace holdfast::engines::exec {

engine::engine(std::string_view settings_json, holdfast::plugin::host_services host)
    : settings_(parse_settings(settings_json)), host_(host) {}

std::string engine::probe() { return probe_commands(settings_); }

void engine::backup(std::string_view options_json, holdfast::plugin::backup_sink& sink) {
    run_backup(settings_, options_json, sink, host_);
}

std::string engine::restore(std::string_view options_json, holdfast::plugin::restore_source& source) {
    return run_restore(settings_, options_json, source, host_);
}

}  // namespace holdfast::engines::exec

HOLDFAST_ENGINE_PLUGIN(holdfast::engines::exec::engine, "exec", HOLDFAST_EXEC_VERSION)
