#include "progress/reporter.hpp"

#include "progress/json_lines.hpp"
#include "progress/log_guard.hpp"
#include "progress/plugin_route.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <ostream>

namespace holdfast::progress {

namespace {

constexpr auto terminal_interval = std::chrono::milliseconds(200);  // at most 5 redraws a second
constexpr auto json_interval = std::chrono::seconds(1);
constexpr auto rate_window = std::chrono::seconds(5);

std::size_t terminal_width() {
    winsize size{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

}  // namespace

display choose_display(bool json) {
    if (json) return display::json;
    return ::isatty(STDERR_FILENO) == 1 ? display::terminal : display::off;
}

reporter::reporter(display mode, std::ostream& json_out) : mode_(mode), json_out_(json_out) {
    if (mode_ == display::off) return;
    if (mode_ == display::terminal) guard_ = std::make_unique<log_guard>(*this);
    attach_plugin_progress(*this);
    ticker_ = std::jthread([this](std::stop_token stop) { tick(stop); });
}

reporter::~reporter() { finish(); }

void reporter::start_phase(std::string name, std::uint64_t total) {
    {
        std::lock_guard lock(state_mutex_);
        phase_ = std::move(name);
        total_ = total;
        phase_start_ = clock::now();
        samples_.clear();
        done_.store(0);
        plugin_.clear();  // a plugin's report belongs to the phase it was made in
        plugin_phase_.clear();
        plugin_done_ = plugin_total_ = 0;
    }
    if (mode_ == display::json) emit();
}

void reporter::plugin_progress(std::string_view plugin, std::string_view phase, std::uint64_t done,
                               std::uint64_t total) noexcept {
    try {
        std::lock_guard lock(state_mutex_);
        plugin_.assign(plugin);
        plugin_phase_.assign(phase);
        plugin_done_ = done;
        plugin_total_ = total;
    } catch (...) {
        // Progress is advisory: a lost report must never fail the plugin.
    }
}

progress_state reporter::state() {
    const auto now = clock::now();
    const std::uint64_t done = done_.load(std::memory_order_relaxed);
    std::lock_guard lock(state_mutex_);
    samples_.emplace_back(now, done);
    while (samples_.size() > 2 && now - samples_.front().first > rate_window) samples_.pop_front();

    progress_state s;
    s.phase = phase_;
    s.done = done;
    s.total = total_;
    s.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - phase_start_);
    // Over the window, or since the phase started when it is younger than that.
    const auto& [since, base] = samples_.size() > 1 ? samples_.front() : std::pair{phase_start_, std::uint64_t{0}};
    const double seconds = std::chrono::duration<double>(now - since).count();
    if (seconds > 0.05 && done >= base) s.rate = static_cast<double>(done - base) / seconds;
    if (total_ > done && s.rate > 0)
        s.eta = std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(total_ - done) / s.rate + 0.5));
    else if (total_ > 0 && done >= total_)
        s.eta = std::chrono::seconds(0);
    else if (total_ == 0 && plugin_done_ > 0 && plugin_total_ > plugin_done_)
        // The phase's own total is unknown (a backup cannot know its stream sizes ahead), but
        // the plugin's is (database sizes): extrapolate from its share done so far.
        s.eta = std::chrono::seconds(static_cast<std::int64_t>(
            std::chrono::duration<double>(now - phase_start_).count() *
                static_cast<double>(plugin_total_ - plugin_done_) / static_cast<double>(plugin_done_) +
            0.5));
    s.plugin = plugin_;
    s.plugin_phase = plugin_phase_;
    s.plugin_done = plugin_done_;
    s.plugin_total = plugin_total_;
    return s;
}

void reporter::tick(std::stop_token stop) {
    std::mutex sleep_mutex;
    std::condition_variable_any wake;
    const auto interval = mode_ == display::terminal ? std::chrono::duration_cast<std::chrono::milliseconds>(terminal_interval)
                                                     : std::chrono::duration_cast<std::chrono::milliseconds>(json_interval);
    std::unique_lock lock(sleep_mutex);
    for (;;) {
        // Nobody notifies `wake`: it only sleeps until the interval ends or a stop arrives.
        wake.wait_for(lock, stop, interval, [] { return false; });
        if (stop.stop_requested()) return;
        try {
            emit();
        } catch (...) {
            // A display problem (a closed stdout, say) must not end the command.
        }
    }
}

void reporter::emit() {
    if (mode_ == display::json) {
        const auto line = progress_json(state()).dump();
        std::lock_guard lock(draw_mutex_);
        if (finished_) return;
        json_out_ << line << '\n';
        json_out_.flush();
    } else if (mode_ == display::terminal) {
        std::lock_guard lock(draw_mutex_);
        if (!finished_) draw_line();
    }
}

void reporter::draw_line() {
    if (mode_ != display::terminal || finished_) return;
    const std::string line = render_line(state(), terminal_width());
    // \r and "erase to end of line": the new line replaces the old one, however long.
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    std::fflush(stderr);
    line_shown_ = true;
}

void reporter::clear_line() {
    if (!line_shown_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    line_shown_ = false;
}

void reporter::finish() noexcept {
    if (mode_ == display::off) return;
    ticker_ = std::jthread();  // stops and joins the ticker
    detach_plugin_progress(*this);
    try {
        if (mode_ == display::json) {
            bool already;
            {
                std::lock_guard lock(draw_mutex_);
                already = finished_;
            }
            if (!already) emit();
        }
    } catch (...) {
    }
    std::unique_ptr<log_guard> guard;
    {
        std::lock_guard lock(draw_mutex_);
        if (finished_) return;
        clear_line();
        finished_ = true;
        guard = std::move(guard_);
    }
    guard.reset();  // puts the log sinks back; outside the lock, which they take
}

}  // namespace holdfast::progress
