#include "maintenance/check.hpp"

#include "core/cancellation.hpp"
#include "core/error.hpp"
#include "maintenance/check_state.hpp"

namespace holdfast::maintenance {

namespace detail {

void check_state::problem(const std::string& line) {
    ++report.problems;
    if (output.problem) output.problem(line);
}

void check_state::note(const std::string& line) {
    if (output.note) output.note(line);
}

void check_state::warning(const std::string& line) {
    if (output.warning) output.warning(line);
}

std::string without_check_advice(std::string_view message) {
    const auto at = message.find("; run 'holdfast check");
    return std::string(at == std::string_view::npos ? message : message.substr(0, at));
}

void stop_if_cancelled() {
    if (cancellation_requested()) throw error("check interrupted", exit_code::interrupted);
}

}  // namespace detail

check_report run_check(repository::repo& repository, const check_options& options,
                       const check_output& output) {
    detail::check_state state{repository, options, output, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    detail::check_config(state);
    detail::check_key_slots(state);
    detail::check_indexes(state);
    detail::check_packs_exist(state);
    // Data before snapshots, so that a snapshot using a damaged blob is named as affected.
    if (options.read_data) detail::check_pack_data(state);
    detail::check_snapshots(state);
    detail::check_proofs(state);
    return state.report;
}

}  // namespace holdfast::maintenance
