// An engine's restore/clone report as people read it (print_report): scalars on one line,
// nested objects and lists of objects indented under their key.
#include "cli/commands/restore_shared.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace {

std::string text_of(const nlohmann::json& report) {
    std::ostringstream out;
    holdfast::cli::print_report(out, report);
    return out.str();
}

TEST(ReportText, NestedObjectsAndListsOfObjectsAreIndentedNotDumped) {
    const auto report = nlohmann::json::parse(R"({
        "databases": [{"name": "shop", "restored_into": "shop", "kept_previous": "shop_pre_restore_20261121",
                       "tables": {"count": 3}},
                      {"name": "crm", "restored_into": "crm_copy", "kept_previous": null}],
        "dry_run": false,
        "plan": {"problems": [], "roles_to_create": ["app", "reporting"]},
        "target": "café"})");
    EXPECT_EQ(text_of(report),
              "  databases:\n"
              "    - kept_previous: shop_pre_restore_20261121\n"
              "      name: shop\n"
              "      restored_into: shop\n"
              "      tables:\n"
              "        count: 3\n"
              "    - kept_previous: null\n"
              "      name: crm\n"
              "      restored_into: crm_copy\n"
              "  dry_run: false\n"
              "  plan:\n"
              "    problems: []\n"
              "    roles_to_create: app, reporting\n"
              "  target: café\n");
}

TEST(ReportText, AReportThatIsNoObjectPrintsNothing) {
    EXPECT_EQ(text_of(nlohmann::json("plain text")), "");
    EXPECT_EQ(text_of(nlohmann::json::object()), "");
    EXPECT_EQ(text_of(nlohmann::json::parse(R"({"items": [1, {"a": 1}, []]})")),
              "  items:\n    - 1\n    - a: 1\n    - []\n");
}

}  // namespace
