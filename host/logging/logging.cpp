#include "logging/logging.hpp"

#include "core/error.hpp"
#include "logging/json_sink.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <string>

namespace holdfast::logging {
namespace {

constexpr std::array<std::string_view, 7> level_names = {"trace", "debug", "info", "warn", "error", "critical", "off"};

spdlog::level::level_enum parse_level(std::string_view name, std::string_view origin) {
    for (std::size_t i = 0; i < level_names.size(); ++i)
        if (level_names[i] == name) return static_cast<spdlog::level::level_enum>(i);
    throw usage_error("unknown log level '" + std::string(name) + "' in " + std::string(origin) +
                      "; use one of trace, debug, info, warn, error, off");
}

}  // namespace

void setup(std::string_view level_name, int verbosity, std::string_view format_name) {
    spdlog::level::level_enum level = spdlog::level::info;
    if (!level_name.empty()) {
        level = parse_level(level_name, "--log-level");
    } else if (const char* env = std::getenv("HOLDFAST_LOG"); env != nullptr && *env != '\0') {
        level = parse_level(env, "HOLDFAST_LOG");
    }
    int adjusted = std::clamp(static_cast<int>(level) - verbosity, static_cast<int>(spdlog::level::trace),
                              static_cast<int>(spdlog::level::off));
    level = static_cast<spdlog::level::level_enum>(adjusted);

    std::shared_ptr<spdlog::logger> logger;
    if (format_name == "json") {
        logger = std::make_shared<spdlog::logger>("", std::make_shared<json_sink>(stderr));
    } else if (format_name == "text") {
        logger = std::make_shared<spdlog::logger>("", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
        // Short lines for people; timestamps only when asked for detail.
        logger->set_pattern(level <= spdlog::level::debug ? "%H:%M:%S.%e %^%l%$: %v" : "%^%l%$: %v");
    } else {
        throw usage_error("unknown log format '" + std::string(format_name) + "'; use text or json");
    }
    logger->set_level(level);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace holdfast::logging
