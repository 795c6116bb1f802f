// One step of a restore plan carried out: a whole database into a temporary database then
// swapped or renamed into place, or a selective / data-only restore into an existing
// database in one transaction. Shared by restore and clone.
#pragma once

#include "client_tools.hpp"
#include "pg_restore_feed.hpp"
#include "restore_plan.hpp"

#include <nlohmann/json.hpp>

namespace holdfast::engines::postgresql {

struct step_outcome {
    std::string database, into;
    std::optional<std::string> kept_previous;
    feed_result fed;
    std::int64_t duration_ms = 0;
};

step_outcome restore_step(connection& admin, const endpoint& server, const client_tools& tools,
                          const database_step& step, const restore_options& options, const archive_input& input,
                          holdfast::plugin::host_services host);

nlohmann::json describe(const step_outcome& outcome);

}  // namespace holdfast::engines::postgresql
