// An spdlog sink writing one JSON object per line: {"time","level","logger","message"}.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <mutex>

namespace holdfast::logging {

class json_sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit json_sink(std::FILE* out) : out_(out) {}

protected:
    void sink_it_(const spdlog::details::log_msg& message) override;
    void flush_() override;

private:
    std::FILE* out_;
};

}  // namespace holdfast::logging
