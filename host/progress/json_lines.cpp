#include "progress/json_lines.hpp"

#include <algorithm>
#include <cmath>

namespace holdfast::progress {

nlohmann::ordered_json progress_json(const progress_state& state) {
    using json = nlohmann::ordered_json;
    json line = {
        {"type", "progress"},
        {"phase", state.phase},
        {"bytes_done", state.done},
        {"bytes_total", state.total > 0 ? json(state.total) : json(nullptr)},
        {"elapsed_seconds", std::round(static_cast<double>(state.elapsed.count()) / 100.0) / 10.0},
        {"bytes_per_second", static_cast<std::uint64_t>(std::max(state.rate, 0.0))},
        {"eta_seconds", state.eta ? json(state.eta->count()) : json(nullptr)},
    };
    if (!state.plugin.empty())
        line["plugin"] = {{"name", state.plugin},
                          {"phase", state.plugin_phase},
                          {"done", state.plugin_done},
                          {"total", state.plugin_total > 0 ? json(state.plugin_total) : json(nullptr)}};
    return line;
}

void print_result(std::ostream& out, const nlohmann::ordered_json& result) {
    nlohmann::ordered_json line = {{"type", "result"}};
    for (const auto& [key, value] : result.items())
        if (key != "type") line[key] = value;
    out << line.dump() << '\n';
    out.flush();
}

}  // namespace holdfast::progress
