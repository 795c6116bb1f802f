// The exec engine: a source is a pair of commands. Backup stores what the
// backup command prints; restore pipes it into the restore command.
#pragma once

#include "settings.hpp"

#include <holdfast/plugin/engine.hpp>

#include <string>
#include <string_view>

namespace holdfast::engines::exec {

class engine final : public holdfast::plugin::engine {
public:
    engine(std::string_view settings_json, holdfast::plugin::host_services host);

    std::string probe() override;
    void backup(std::string_view options_json, holdfast::plugin::backup_sink& sink) override;
    std::string restore(std::string_view options_json, holdfast::plugin::restore_source& source) override;

private:
    settings settings_;
    holdfast::plugin::host_services host_;
};

}  // namespace holdfast::engines::exec
