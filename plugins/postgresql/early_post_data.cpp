#include "early_post_data.hpp"

#include <set>

namespace holdfast::engines::postgresql {

early_post_data plan_early_post_data(const archive_toc& toc) {
    early_post_data plan;
    std::map<int, archive_section> section_of;
    for (const auto& e : toc.entries) {
        section_of[e.dump_id] = e.section;
        if (e.desc == "TABLE DATA" && e.has_data && e.dependencies.size() == 1)
            plan.table_of_data[e.dump_id] = e.dependencies.front();
    }
    std::set<int> tables;
    for (const auto& [data, table] : plan.table_of_data) tables.insert(table);
    for (const auto& e : toc.entries) {
        if (e.section != archive_section::post_data || (e.desc != "INDEX" && e.desc != "CONSTRAINT")) continue;
        // One table, and otherwise only what the pre-data step has created (types, operator
        // classes, functions, ...) or what sets the session up (encoding, search path).
        std::set<int> own_tables;
        bool ready_after_pre_data = true;
        for (int d : e.dependencies) {
            if (tables.contains(d)) {
                own_tables.insert(d);
                continue;
            }
            const auto section = section_of.find(d);
            if (section == section_of.end() ||
                (section->second != archive_section::pre_data && section->second != archive_section::none))
                ready_after_pre_data = false;
        }
        if (own_tables.size() == 1 && ready_after_pre_data) plan.of_table[*own_tables.begin()].push_back(e.dump_id);
    }
    return plan;
}

}  // namespace holdfast::engines::postgresql
