#include "verify.hpp"

#include "inspect.hpp"
#include <holdfast/plugin/json_fields.hpp>
#include "received_copy.hpp"

#include <filesystem>
#include <vector>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;

namespace {

// One line per difference between what the metadata promised and what the copy holds.
std::vector<std::string> differences(const nlohmann::json& metadata, const copy_facts& facts) {
    std::vector<std::string> found;
    auto quoted = [](const std::string& name) { return plugin::to_json_text(name); };
    if (auto hash = metadata_string(metadata, "schema_hash"); hash != facts.schema_hash)
        found.push_back("schema_hash differs (\"" + hash.value_or("") + "\" recorded, \"" + facts.schema_hash + "\" restored)");
    const auto expected = metadata_row_counts(metadata).value_or(std::map<std::string, std::int64_t>{});
    for (const auto& [table, count] : expected) {
        auto actual = facts.row_counts.find(table);
        if (actual == facts.row_counts.end())
            found.push_back("table " + quoted(table) + " is missing");
        else if (count != actual->second)
            found.push_back("table " + quoted(table) + " has " + std::to_string(actual->second) + " rows, " +
                            std::to_string(count) + " recorded");
    }
    for (const auto& [table, count] : facts.row_counts)
        if (!expected.contains(table)) found.push_back("table " + quoted(table) + " was not recorded");
    return found;
}

}  // namespace

holdfast::plugin::verify_result run_verify(std::string_view options_json, holdfast::plugin::restore_source& source,
                                           const holdfast::plugin::host_services& host) {
    plugin::json_fields(options_json, "sqlite verify options").reject_unknown();
    const nlohmann::json metadata = parse_metadata(source.metadata_json());
    if (!metadata_row_counts(metadata) || !metadata_string(metadata, "schema_hash"))
        throw error(HF_ERR_PRECONDITION,
                    "the snapshot metadata has no row_counts/schema_hash to compare with: not made by the sqlite engine");

    received_copy copy =
        receive_database(source, std::filesystem::temp_directory_path(), "holdfast-sqlite-verify-", host);
    nlohmann::json report = {
        {"bytes", copy.bytes},
        {"sha256", copy.sha256},
        {"sha256_checked", metadata_string(metadata, "sha256").has_value()},
    };
    copy_facts facts;
    try {
        facts = check_copy(copy, metadata, host);
    } catch (const error& e) {
        if (e.code() != HF_ERR_CORRUPT) throw;
        // The copy itself is bad: what verify is there to find, so a result.
        report["integrity"] = "failed";
        report["matches"] = false;
        report["differences"] = nlohmann::json::array({e.what()});
        return {plugin::to_json_text(report), false, e.what()};
    }
    const std::vector<std::string> mismatches = differences(metadata, facts);
    report["integrity"] = "ok";
    report["schema_hash"] = facts.schema_hash;
    report["row_counts"] = to_json(facts.row_counts);
    report["matches"] = mismatches.empty();
    report["differences"] = mismatches;
    if (mismatches.empty()) return {plugin::to_json_text(report), true, {}};
    std::string summary;
    for (const auto& line : mismatches) summary += (summary.empty() ? "" : "; ") + line;
    return {plugin::to_json_text(report), false, "the restored database differs from the snapshot metadata: " + summary};
}

}  // namespace holdfast::engines::sqlite
