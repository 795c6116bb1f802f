#include "logging/json_sink.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <string>

namespace holdfast::logging {
namespace {

std::string iso8601_utc(spdlog::log_clock::time_point when) {
    auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(when);
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(when - seconds).count();
    std::time_t t = spdlog::log_clock::to_time_t(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[40];
    std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buffer + n, sizeof buffer - n, ".%03dZ", static_cast<int>(millis));
    return buffer;
}

}  // namespace

void json_sink::sink_it_(const spdlog::details::log_msg& message) {
    nlohmann::json line = {
        {"time", iso8601_utc(message.time)},
        {"level", std::string(spdlog::level::to_string_view(message.level).data(),
                              spdlog::level::to_string_view(message.level).size())},
        {"message", std::string(message.payload.data(), message.payload.size())},
    };
    if (message.logger_name.size() > 0)
        line["logger"] = std::string(message.logger_name.data(), message.logger_name.size());
    // Replace invalid UTF-8 rather than throw: a log line must never fail.
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), out_);
}

void json_sink::flush_() { std::fflush(out_); }

}  // namespace holdfast::logging
