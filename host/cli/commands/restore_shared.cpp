#include "cli/commands/restore_shared.hpp"

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

void print_report(std::ostream& out, const nlohmann::json& report) {
    if (!report.is_object()) return;
    for (const auto& [key, value] : report.items())
        out << "  " << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << '\n';
}

}  // namespace holdfast::cli
