// check: every restore-test proof decodes and belongs to a snapshot that exists.
#include "maintenance/check_state.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/proofs.hpp"

namespace holdfast::maintenance::detail {

using namespace repository;

void check_proofs(check_state& state) {
    for (const names::proof_name& name : list_all_proof_names(state.repo)) {
        stop_if_cancelled();
        ++state.report.proofs;
        try {
            load_proof(state.repo, name.snapshot, name.id);
        } catch (const repository_error& e) {
            state.problem(without_check_advice(e.what()));
        }
        // Not a problem: no snapshot depends on it, and a restore test that finished while
        // forget removed its snapshot leaves one behind.
        if (!state.snapshot_ids.contains(name.snapshot)) {
            ++state.report.orphan_proofs;
            state.warning("proof " + names::proof(name.snapshot, name.id) +
                          " belongs to a snapshot that no longer exists (the next 'holdfast forget' removes it)");
        }
    }
}

}  // namespace holdfast::maintenance::detail
