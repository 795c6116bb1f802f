// A proof document: the outcome of one restore drill of one snapshot
// (docs/repository-format.md, "Proofs"). Written once, never changed; a later drill adds
// another proof, so the history of a snapshot's drills stays readable.
#pragma once

#include "repository/object_id.hpp"
#include "repository/utc_time.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace holdfast::repository {

// What kind of check a proof records; the only one so far.
inline constexpr std::string_view proof_kind_restore_test = "restore-test";

struct proof {
    static constexpr int supported_version = 1;

    object_id snapshot;
    utc_time time{};  // when the drill finished
    std::string host;
    std::string user;
    std::string holdfast_version;
    std::string engine;
    std::string engine_version;  // the engine plugin that ran the drill
    std::string kind{proof_kind_restore_test};
    bool passed = false;
    std::uint64_t duration_ms = 0;
    std::string summary;  // one line
    // The engine's report as it gave it: JSON, or a string when it was not JSON.
    nlohmann::json report = nlohmann::json::object();

    std::string to_json() const;
    // Throws corruption_error naming `object` if the document is malformed, and
    // repository_error if its version is newer than this holdfast supports.
    static proof parse(std::string_view json, std::string_view object);
};

}  // namespace holdfast::repository
