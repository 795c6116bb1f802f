// The progress of one command: a phase ("backup", "restore"), bytes done of a total (when
// known), rate and ETA, and the latest report of the plugin at work.
//
// On a terminal the line is redrawn in place on stderr at most five times a second and
// cleared at the end; log lines printed meanwhile clear it first (log_guard). With --json,
// {"type":"progress"} lines go to stdout once a second and at every phase change. Otherwise
// nothing is shown. Counting is lock-free, so the pipeline's threads may call advance()
// for every write.
#pragma once

#include "progress/format.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace holdfast::progress {

enum class display { off, terminal, json };

// --json: JSON lines on stdout; else the terminal line when stderr is a terminal; else off.
display choose_display(bool json);

class log_guard;

class reporter {
public:
    // `json_out` receives the JSON lines (stdout); must outlive the reporter.
    reporter(display mode, std::ostream& json_out);
    reporter(const reporter&) = delete;
    reporter& operator=(const reporter&) = delete;
    ~reporter();

    display mode() const noexcept { return mode_; }

    // Starts a phase: done goes back to 0, the rate and ETA start over. total 0: unknown.
    void start_phase(std::string name, std::uint64_t total = 0);
    void advance(std::uint64_t bytes) noexcept { done_.fetch_add(bytes, std::memory_order_relaxed); }
    // Where plugins' progress reports arrive (plugin_route.hpp). Never throws.
    void plugin_progress(std::string_view plugin, std::string_view phase, std::uint64_t done,
                         std::uint64_t total) noexcept;

    // Stops the display: the terminal line is cleared, a last JSON line written. Idempotent;
    // call it before printing the result.
    void finish() noexcept;

    // The state now, as it would be drawn.
    progress_state state();

    // For log_guard: run `print` with the terminal line cleared, then redraw it.
    template <typename Print>
    void with_line_cleared(Print&& print) {
        std::lock_guard lock(draw_mutex_);
        clear_line();
        std::forward<Print>(print)();
        draw_line();
    }

private:
    void tick(std::stop_token stop);
    void emit();        // one JSON line or one redraw; takes draw_mutex_
    void draw_line();   // with draw_mutex_ held
    void clear_line();  // with draw_mutex_ held

    using clock = std::chrono::steady_clock;

    const display mode_;
    std::ostream& json_out_;
    std::atomic<std::uint64_t> done_{0};

    std::mutex state_mutex_;
    std::string phase_;
    std::uint64_t total_ = 0;
    clock::time_point phase_start_ = clock::now();
    // (time, done) samples of the last few seconds, for a rate that follows changes.
    std::deque<std::pair<clock::time_point, std::uint64_t>> samples_;
    std::string plugin_, plugin_phase_;
    std::uint64_t plugin_done_ = 0, plugin_total_ = 0;

    std::mutex draw_mutex_;
    bool line_shown_ = false;
    bool finished_ = false;
    std::unique_ptr<log_guard> guard_;
    std::jthread ticker_;  // last: stopped first
};

}  // namespace holdfast::progress
