// Problems found in a configuration file, each with the file, line and column
// it is about. Loading and validation collect every problem instead of stopping
// at the first, so one `holdfast config check` shows everything to fix.
// A problem's message never contains a secret value.
#pragma once

#include "core/error.hpp"

#include <string>
#include <vector>

namespace YAML {
class Mark;
}

namespace holdfast::config {

// A place in a configuration file; line and column are 1-based, 0 when unknown.
struct position {
    std::string file;
    int line = 0;
    int column = 0;
};

// yaml-cpp marks are 0-based, and -1 for nodes that were not parsed from text.
position at(const std::string& file, const YAML::Mark& mark);

struct problem {
    enum class severity { error, warning };
    severity level = severity::error;
    position where;
    std::string message;  // "<key path>: <what is wrong>"
};

// "file:line:column", or "file" when the line is unknown.
std::string to_string(const position& where);
// "file:line:column: message", or "file:line:column: warning: message".
std::string to_string(const problem& p);

class problem_list {
public:
    void error(position where, std::string message);
    void warning(position where, std::string message);

    // In the order found.
    const std::vector<problem>& all() const { return problems_; }
    // In file order (file, line, column), which is how a user fixes them.
    std::vector<problem> sorted() const;
    bool has_errors() const;
    // Throw config_error if any error was collected.
    void throw_if_errors() const;
    // Hand the warnings to the log, for commands that do not print problems themselves.
    void log_warnings() const;

private:
    std::vector<problem> problems_;
};

// An invalid configuration (exit 2). what() lists every error, one per line.
class config_error : public usage_error {
public:
    explicit config_error(std::vector<problem> problems);
    const std::vector<problem>& problems() const { return problems_; }

private:
    std::vector<problem> problems_;
};

}  // namespace holdfast::config
