#include "config/problems.hpp"

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <tuple>

namespace holdfast::config {
namespace {

std::string join_errors(const std::vector<problem>& problems) {
    std::string text;
    for (const auto& p : problems) {
        if (p.level != problem::severity::error) continue;
        if (!text.empty()) text += '\n';
        text += to_string(p);
    }
    return text;
}

}  // namespace

position at(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null() || mark.line < 0) return {file, 0, 0};
    return {file, mark.line + 1, mark.column + 1};
}

std::string to_string(const position& where) {
    if (where.line <= 0) return where.file;
    return where.file + ':' + std::to_string(where.line) + ':' + std::to_string(where.column);
}

std::string to_string(const problem& p) {
    return to_string(p.where) + (p.level == problem::severity::warning ? ": warning: " : ": ") + p.message;
}

void problem_list::error(position where, std::string message) {
    problems_.push_back({problem::severity::error, std::move(where), std::move(message)});
}

void problem_list::warning(position where, std::string message) {
    problems_.push_back({problem::severity::warning, std::move(where), std::move(message)});
}

bool problem_list::has_errors() const {
    return std::any_of(problems_.begin(), problems_.end(),
                       [](const problem& p) { return p.level == problem::severity::error; });
}

std::vector<problem> problem_list::sorted() const {
    std::vector<problem> result = problems_;
    std::stable_sort(result.begin(), result.end(), [](const problem& a, const problem& b) {
        return std::tie(a.where.file, a.where.line, a.where.column) < std::tie(b.where.file, b.where.line, b.where.column);
    });
    return result;
}

void problem_list::throw_if_errors() const {
    if (has_errors()) throw config_error(sorted());
}

void problem_list::log_warnings() const {
    for (const auto& p : problems_)
        if (p.level == problem::severity::warning) spdlog::warn("{}: {}", to_string(p.where), p.message);
}

config_error::config_error(std::vector<problem> problems)
    : usage_error(join_errors(problems)), problems_(std::move(problems)) {}

}  // namespace holdfast::config
