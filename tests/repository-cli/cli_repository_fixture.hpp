// A fresh directory per test, holding the repository and anything else the test writes;
// holdfast runs with that directory as its working directory, no configuration file, the
// build tree's plugins and HOLDFAST_PASSWORD set.
#pragma once

#include "repository/object_id.hpp"

#include "run_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace holdfast::cli_testing {

using holdfast::testing::process_options;
using holdfast::testing::process_result;

inline constexpr const char* password = "correct horse battery staple";

// A small scrypt cost (documented `--kdf-n`) keeps each open to milliseconds.
inline constexpr const char* fast_kdf = "1024";

class repository_cli_test : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path repo_dir() const { return dir_ / "repo"; }

    // The isolated environment; tests add or remove variables on top.
    process_options options() const;
    process_result run(const std::vector<std::string>& args) const { return run(args, options()); }
    process_result run(const std::vector<std::string>& args, const process_options& opts) const;
    // `args` with --repo <repo_dir>.
    process_result run_repo(std::vector<std::string> args) const;

    // holdfast init --repo <repo_dir> --kdf-n 1024 <extra>; fails the test unless it succeeds.
    void init(const std::vector<std::string>& extra = {}) const;

    // A file in the test directory, readable by its owner only.
    std::filesystem::path write_secret_file(const std::string& name, const std::string& content) const;

    // A snapshot made through the repository's C++ API (the way a backup stores one):
    // `data` cut into blobs, stored, flushed, then the snapshot. Returns its id.
    repository::object_id add_snapshot(const std::string& source, const std::vector<std::string>& tags,
                                       const std::string& data,
                                       const std::string& with_password = password) const;

    // Every file below `relative` in the repository, with its size and modification time
    // (a listing that changes if any object is added, removed or rewritten).
    std::map<std::string, std::string> files_under(const std::string& relative) const;

    static nlohmann::json parse_json(const process_result& r);

private:
    std::filesystem::path dir_;
};

// Assertion helper: "exit <n>, stderr: ..." on failure.
::testing::AssertionResult exited(const process_result& r, int code);

}  // namespace holdfast::cli_testing
