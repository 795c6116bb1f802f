// Run a program the way a user would (argv, environment, stdin), and capture
// what it printed and how it exited. For end-to-end tests of the executable.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace holdfast::testing {

struct process_result {
    int exit_code = -1;  // 128 + signal number when killed by a signal
    std::string out;
    std::string err;
};

struct process_options {
    // Variables to set (value) or remove (nullopt) on top of this process's environment.
    std::map<std::string, std::optional<std::string>> env;
    std::string input;            // written to the child's stdin, then closed
    std::string working_directory;
};

process_result run_process(const std::vector<std::string>& argv, const process_options& options = {});

// The holdfast executable under test (HOLDFAST_EXE, set by CMake).
std::string holdfast_exe();

// Shorthand: run holdfast with `args`.
process_result run_holdfast(const std::vector<std::string>& args, const process_options& options = {});

}  // namespace holdfast::testing
