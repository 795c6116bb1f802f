// Helpers for the plugin tests: fixture locations, scratch directories,
// environment variables that are restored, and captured log output.
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

namespace holdfast::plugins::testing {

namespace fs = std::filesystem;

// The directory of one fixture case (see fixtures/CMakeLists.txt).
inline fs::path fixture(std::string_view case_name) { return fs::path(HOLDFAST_FIXTURE_DIR) / case_name; }

// The manifest of fixture plugin `name` in case `case_name`.
inline fs::path fixture_manifest(std::string_view case_name, std::string_view name) {
    return fixture(case_name) / name / (std::string(name) + ".json");
}

// A fresh directory, removed with everything in it at the end of the test.
class temp_dir {
public:
    temp_dir() {
        std::random_device random;
        path_ = fs::temp_directory_path() / ("holdfast-plugins-test-" + std::to_string(random()));
        fs::create_directories(path_);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

inline void write_file(const fs::path& file, std::string_view text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

// A minimal valid manifest.
inline std::string manifest_json(std::string_view name, std::string_view kind = "engine",
                                 const fs::path& library = "holdfast_x.so", std::string_view abi = "1.0",
                                 std::string_view schemes = "[]") {
    std::ostringstream out;
    out << R"({"file_format_version": "1.0.0", "name": ")" << name << R"(", "kind": ")" << kind
        << R"(", "library_path": )" << '"' << library.string() << '"' << R"(, "abi_version": ")" << abi
        << R"(", "version": "1.0.0", "schemes": )" << schemes << "}";
    return out.str();
}

// Sets (or, with nullopt, removes) an environment variable for the lifetime
// of the guard, then puts back what was there.
class env_guard {
public:
    env_guard(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
        if (const char* old = std::getenv(name_.c_str())) old_ = old;
        if (value) ::setenv(name_.c_str(), value->c_str(), 1);
        else ::unsetenv(name_.c_str());
    }
    env_guard(const env_guard&) = delete;
    env_guard& operator=(const env_guard&) = delete;
    ~env_guard() {
        if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
        else ::unsetenv(name_.c_str());
    }

private:
    std::string name_;
    std::optional<std::string> old_;
};

// Routes the default spdlog logger into a string for the guard's lifetime.
class log_capture {
public:
    explicit log_capture(spdlog::level::level_enum level = spdlog::level::trace)
        : previous_(spdlog::default_logger()) {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
        sink->set_pattern("%l %v");
        auto logger = std::make_shared<spdlog::logger>("capture", sink);
        logger->set_level(level);
        spdlog::set_default_logger(logger);
    }
    log_capture(const log_capture&) = delete;
    log_capture& operator=(const log_capture&) = delete;
    ~log_capture() { spdlog::set_default_logger(previous_); }
    std::string text() const { return text_.str(); }

private:
    std::shared_ptr<spdlog::logger> previous_;
    std::ostringstream text_;
};

}  // namespace holdfast::plugins::testing
