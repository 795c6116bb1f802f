// The holdfast executable: everything is in holdfast_core; see cli/dispatch.cpp.
#include "cli/command.hpp"

#include <iostream>

int main(int argc, char** argv) {
    return holdfast::cli::run_cli(argc, argv, std::cout, std::cerr);
}
