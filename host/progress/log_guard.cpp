#include "progress/log_guard.hpp"

#include "progress/reporter.hpp"

#include <spdlog/spdlog.h>

namespace holdfast::progress {

namespace {

class line_clearing_sink final : public spdlog::sinks::sink {
public:
    line_clearing_sink(reporter& owner, spdlog::sink_ptr inner) : owner_(owner), inner_(std::move(inner)) {}

    void log(const spdlog::details::log_msg& msg) override {
        if (!inner_->should_log(msg.level)) return;
        owner_.with_line_cleared([&] {
            inner_->log(msg);
            inner_->flush();  // before the progress line is drawn again
        });
    }
    void flush() override { inner_->flush(); }
    void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        inner_->set_formatter(std::move(formatter));
    }

private:
    reporter& owner_;
    spdlog::sink_ptr inner_;
};

}  // namespace

log_guard::log_guard(reporter& owner) {
    auto& sinks = spdlog::default_logger_raw()->sinks();
    original_ = sinks;
    for (auto& sink : sinks) sink = std::make_shared<line_clearing_sink>(owner, sink);
}

log_guard::~log_guard() {
    try {
        spdlog::default_logger_raw()->sinks() = original_;
    } catch (...) {
    }
}

}  // namespace holdfast::progress
