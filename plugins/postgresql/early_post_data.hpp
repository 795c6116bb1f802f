// Post-data entries that need one table and nothing else: its indexes and its own
// constraints (primary key, unique, check, exclusion; never a foreign key, which needs a
// second table's data). As pg_restore -j does, a parallel restore builds them as soon as that
// table's data is in, beside the copying of other tables, instead of all at the end.
#pragma once

#include "custom_archive.hpp"

#include <map>
#include <vector>

namespace holdfast::engines::postgresql {

struct early_post_data {
    std::map<int, int> table_of_data;          // TABLE DATA dump id -> its TABLE's dump id
    std::map<int, std::vector<int>> of_table;  // TABLE dump id -> those entries
};

// From the TOC's dependencies: entries that depend on exactly one table with data, and
// otherwise only on entries of the pre-data section (or none).
early_post_data plan_early_post_data(const archive_toc& toc);

}  // namespace holdfast::engines::postgresql
