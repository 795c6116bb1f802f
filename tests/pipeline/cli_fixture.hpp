// End-to-end tests of backup, restore and dump: the real holdfast executable, a real
// repository directory and real engine plugins from the build tree, in an isolated
// environment (temporary directory, HOLDFAST_PASSWORD, no configuration of the machine).
#pragma once

#include "run_process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace holdfast::pipeline::testing {

class cli_test : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // Runs holdfast with the build tree's plugins, the test's configuration (once written)
    // and repository.
    holdfast::testing::process_result run(std::vector<std::string> args) const;
    // The same, failing the test unless it exits 0.
    holdfast::testing::process_result ok(std::vector<std::string> args) const;
    // The same, killed with SIGKILL after `delay` unless it ended before.
    holdfast::testing::process_result run_killed_after(std::vector<std::string> args,
                                                       std::chrono::milliseconds delay) const;

    // Writes holdfast.yaml with these `sources:` entries (YAML, already indented by 2).
    void write_config(const std::string& sources_yaml);
    // `holdfast init`.
    void init_repository() const;

    const std::filesystem::path& dir() const { return dir_; }
    const std::filesystem::path& repo() const { return repo_; }
    std::uintmax_t repository_bytes() const;
    std::size_t snapshot_count() const;

    // The holdfast executable with the build tree's plugins and the test's configuration,
    // then `args`; and the isolated environment it runs in.
    std::vector<std::string> command_line(std::vector<std::string> args) const;
    holdfast::testing::process_options environment() const;

private:

    std::filesystem::path dir_;
    std::filesystem::path repo_;
    std::filesystem::path config_;
};

// Compressible pseudo-random text (about 3:1 with zstd), written fast: fragments picked from a
// fixed dictionary by a PRNG, so content-defined cuts occur everywhere.
void write_test_data(const std::filesystem::path& file, std::uint64_t size, std::uint64_t seed);
// Incompressible bytes.
void write_random_data(const std::filesystem::path& file, std::uint64_t size, std::uint64_t seed);

// A (small) file's bytes.
std::string file_content(const std::filesystem::path& file);

// Byte-for-byte comparison without loading the files whole.
bool same_content(const std::filesystem::path& a, const std::filesystem::path& b);

// A JSON string of a path, for the YAML configuration (JSON strings are YAML strings).
std::string quoted(const std::filesystem::path& path);

}  // namespace holdfast::pipeline::testing
