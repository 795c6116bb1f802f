// The host services a test hands to an engine: logs and progress captured,
// cancellation on demand (or from a progress hook).
#pragma once

#include <holdfast/abi.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::testing {

class test_host {
public:
    using progress_hook = std::function<void(std::string_view phase, std::uint64_t done, std::uint64_t total)>;

    test_host();
    test_host(const test_host&) = delete;
    test_host& operator=(const test_host&) = delete;

    const hf_host_services* services() const noexcept { return &services_; }

    void cancel() noexcept { cancelled_ = true; }
    // Called on every progress report (from the engine's thread).
    void on_progress(progress_hook hook);

    std::vector<std::string> logs() const;
    std::string all_logs() const;  // one line per message
    std::uint64_t progress_reports() const noexcept { return progress_reports_; }

private:
    static void log(void* context, hf_log_level level, const char* message);
    static void progress(void* context, const char* phase, std::uint64_t done, std::uint64_t total);
    static std::int32_t cancelled(void* context);

    hf_host_services services_{};
    std::atomic<bool> cancelled_{false};
    std::atomic<std::uint64_t> progress_reports_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> logs_;
    progress_hook hook_;
};

}  // namespace holdfast::testing
