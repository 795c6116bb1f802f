// Helpers for the configuration tests: temporary directories and files,
// environment variables and working directory set for one test and restored.
#pragma once

#include "config/load.hpp"
#include "config/problems.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace holdfast::config::testing {

class temp_dir {
public:
    temp_dir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "holdfast-config-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline std::filesystem::path write_file(const std::filesystem::path& file, const std::string& text,
                                        mode_t mode = 0600) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    ::chmod(file.c_str(), mode);
    return file;
}

// Sets (or with nullopt, unsets) an environment variable until destroyed.
class scoped_env {
public:
    scoped_env(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
        if (const char* old = std::getenv(name_.c_str())) old_ = old;
        set(value);
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
    ~scoped_env() { set(old_); }

private:
    void set(const std::optional<std::string>& value) {
        if (value) ::setenv(name_.c_str(), value->c_str(), 1);
        else ::unsetenv(name_.c_str());
    }
    std::string name_;
    std::optional<std::string> old_;
};

class scoped_cwd {
public:
    explicit scoped_cwd(const std::filesystem::path& dir) : old_(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    scoped_cwd(const scoped_cwd&) = delete;
    scoped_cwd& operator=(const scoped_cwd&) = delete;
    ~scoped_cwd() {
        std::error_code ec;
        std::filesystem::current_path(old_, ec);
    }

private:
    std::filesystem::path old_;
};

// Every problem as the user sees it, in file order.
inline std::vector<std::string> lines(const problem_list& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems.sorted()) out.push_back(to_string(p));
    return out;
}

// Parse configuration text as if read from "holdfast.yaml" in the working directory.
struct parsed {
    problem_list problems;
    config cfg;
    explicit parsed(const std::string& text, const std::filesystem::path& file = "holdfast.yaml")
        : cfg(parse(text, file, problems)) {}
};

}  // namespace holdfast::config::testing
