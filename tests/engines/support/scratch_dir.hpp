// A fresh directory for one test, removed with everything in it afterwards;
// and helpers for the files tests compare.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace holdfast::testing {

class scratch_dir {
public:
    scratch_dir();
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    ~scratch_dir();

    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    // Names of the entries directly inside, sorted.
    std::vector<std::string> entries() const;

private:
    std::filesystem::path path_;
};

// Points $TMPDIR at a directory for the guard's lifetime, so a test can check
// that an engine left no temporary file behind.
class tmpdir_override {
public:
    explicit tmpdir_override(const std::filesystem::path& directory);
    tmpdir_override(const tmpdir_override&) = delete;
    tmpdir_override& operator=(const tmpdir_override&) = delete;
    ~tmpdir_override();

private:
    std::optional<std::string> previous_;
};

std::vector<std::byte> read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::vector<std::byte>& data);
// Deterministic pseudo-random bytes (incompressible, no pattern a buffer size could hide).
std::vector<std::byte> random_bytes(std::size_t size, unsigned seed);

}  // namespace holdfast::testing
