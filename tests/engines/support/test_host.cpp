#include "support/test_host.hpp"

namespace holdfast::testing {

test_host::test_host() {
    services_.struct_size = sizeof(hf_host_services);
    services_.context = this;
    services_.log = &test_host::log;
    services_.progress = &test_host::progress;
    services_.cancelled = &test_host::cancelled;
}

void test_host::on_progress(progress_hook hook) {
    std::lock_guard lock(mutex_);
    hook_ = std::move(hook);
}

std::vector<std::string> test_host::logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
}

std::string test_host::all_logs() const {
    std::string out;
    for (const auto& line : logs()) out += line + "\n";
    return out;
}

void test_host::log(void* context, hf_log_level, const char* message) {
    auto* self = static_cast<test_host*>(context);
    std::lock_guard lock(self->mutex_);
    self->logs_.emplace_back(message != nullptr ? message : "");
}

void test_host::progress(void* context, const char* phase, std::uint64_t done, std::uint64_t total) {
    auto* self = static_cast<test_host*>(context);
    ++self->progress_reports_;
    progress_hook hook;
    {
        std::lock_guard lock(self->mutex_);
        hook = self->hook_;
    }
    if (hook) hook(phase != nullptr ? phase : "", done, total);
}

std::int32_t test_host::cancelled(void* context) { return static_cast<test_host*>(context)->cancelled_ ? 1 : 0; }

}  // namespace holdfast::testing
