// The postgresql engine: one PostgreSQL server per source (docs/engines/postgresql.md).
#pragma once

#include "settings.hpp"

#include <holdfast/plugin/engine.hpp>

#include <string>
#include <string_view>

namespace holdfast::engines::postgresql {

class engine final : public holdfast::plugin::engine {
public:
    engine(std::string_view settings_json, holdfast::plugin::host_services host);

    std::string probe() override;
    void backup(std::string_view options_json, holdfast::plugin::backup_sink& sink) override;
    std::string restore(std::string_view options_json, holdfast::plugin::restore_source& source) override;
    holdfast::plugin::verify_result verify(std::string_view options_json, holdfast::plugin::restore_source& source);
    std::string clone(std::string_view options_json, engine& target);

    static void detect(std::string_view path, holdfast::plugin::host_services host,
                       const holdfast::plugin::detect_callback& found);

private:
    settings settings_;
    holdfast::plugin::host_services host_;
};

}  // namespace holdfast::engines::postgresql
