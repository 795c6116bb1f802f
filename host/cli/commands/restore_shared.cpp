#include "cli/commands/restore_shared.hpp"

#include <algorithm>
#include <sstream>

namespace holdfast::cli {

std::string restore_options(nlohmann::json engine_options, const po::variables_map& vm) {
    if (vm["no-keep-previous"].as<bool>()) engine_options["keep_previous"] = false;
    if (vm["dry-run"].as<bool>()) engine_options["dry_run"] = true;
    return engine_options.dump();
}

nlohmann::json parse_report(const std::string& text) {
    auto report = nlohmann::json::parse(text, nullptr, false);
    if (report.is_discarded()) report = text;  // not JSON: shown as it came
    return report;
}

namespace {

std::string scalar_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

bool all_scalars(const nlohmann::json& array) {
    return std::none_of(array.begin(), array.end(), [](const auto& v) { return v.is_structured(); });
}

// "key: value" for scalars and empty or flat lists; a nested object as its own indented
// lines; a list of objects as "- " items, YAML-like, so a person reads the report at a glance.
void print_member(std::ostream& out, const std::string& indent, const std::string& key, const nlohmann::json& value) {
    if (!value.is_structured() || value.empty()) {
        out << indent << key << ": " << scalar_text(value) << '\n';
    } else if (value.is_array() && all_scalars(value)) {
        out << indent << key << ": ";
        for (std::size_t i = 0; i < value.size(); ++i) out << (i ? ", " : "") << scalar_text(value[i]);
        out << '\n';
    } else if (value.is_object()) {
        out << indent << key << ":\n";
        for (const auto& [k, v] : value.items()) print_member(out, indent + "  ", k, v);
    } else {
        out << indent << key << ":\n";
        for (const auto& item : value) {
            if (!item.is_object() || item.empty()) {
                out << indent << "  - " << scalar_text(item) << '\n';
                continue;
            }
            // The members under the dash, the first one on the dash's line.
            std::ostringstream members;
            for (const auto& [k, v] : item.items()) print_member(members, indent + "    ", k, v);
            out << members.str().replace(0, indent.size() + 4, indent + "  - ");
        }
    }
}

}  // namespace

void print_report(std::ostream& out, const nlohmann::json& report) {
    if (!report.is_object()) return;
    for (const auto& [key, value] : report.items()) print_member(out, "  ", key, value);
}

}  // namespace holdfast::cli
