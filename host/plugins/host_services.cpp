#include "plugins/host_services.hpp"

#include "core/cancellation.hpp"
#include "plugins/progress.hpp"

#include <spdlog/spdlog.h>

namespace holdfast::plugins {
namespace {

const plugin_services& self(void* context) { return *static_cast<const plugin_services*>(context); }

spdlog::level::level_enum to_spdlog(hf_log_level level) {
    switch (level) {
        case HF_LOG_TRACE: return spdlog::level::trace;
        case HF_LOG_DEBUG: return spdlog::level::debug;
        case HF_LOG_INFO: return spdlog::level::info;
        case HF_LOG_WARN: return spdlog::level::warn;
        case HF_LOG_ERROR: return spdlog::level::err;
        default: return spdlog::level::info;  // a level from a newer ABI
    }
}

// These are called from plugin code through C function pointers: nothing may
// escape them.
void log_line(void* context, hf_log_level level, const char* message) noexcept {
    try {
        spdlog::default_logger_raw()->log(to_spdlog(level), "{}: {}", self(context).plugin_name(),
                                          message != nullptr ? message : "");
    } catch (...) {
    }
}

void progress_line(void* context, const char* phase, std::uint64_t done, std::uint64_t total) noexcept {
    report_progress(self(context).plugin_name(), phase != nullptr ? phase : "", done, total);
}

std::int32_t cancelled(void*) noexcept { return holdfast::cancellation_requested() ? 1 : 0; }

}  // namespace

plugin_services::plugin_services(std::string_view plugin_name) : name_(plugin_name) {
    services_.struct_size = sizeof(hf_host_services);
    services_.context = this;
    services_.log = &log_line;
    services_.progress = &progress_line;
    services_.cancelled = &cancelled;
}

}  // namespace holdfast::plugins
