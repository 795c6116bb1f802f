// Log lines and the progress line share stderr: while a terminal progress line is shown,
// every sink of the default logger is wrapped so that the line is cleared before a log
// line is written and redrawn after it, instead of the two running into each other.
#pragma once

#include <spdlog/sinks/sink.h>

#include <memory>
#include <vector>

namespace holdfast::progress {

class reporter;

class log_guard {
public:
    // Wraps the default logger's sinks. Install before other threads log.
    explicit log_guard(reporter& owner);
    log_guard(const log_guard&) = delete;
    log_guard& operator=(const log_guard&) = delete;
    // Puts the original sinks back.
    ~log_guard();

private:
    std::vector<spdlog::sink_ptr> original_;
};

}  // namespace holdfast::progress
