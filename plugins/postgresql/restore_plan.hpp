// What a restore (or clone, or drill) will do to each database, decided before anything
// changes, and the checks run on that plan. Every problem is collected, so the user sees
// them all at once rather than one per attempt.
#pragma once

#include "connection.hpp"
#include "metadata.hpp"
#include "restore_options.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace holdfast::engines::postgresql {

enum class restore_mode {
    replace,       // into a temporary database, then swapped in place of the existing one
    create,        // into a temporary database, then renamed to a name that is free
    into_existing  // selective or data-only: into the existing database, in one transaction
};

struct database_step {
    const database_record* record = nullptr;
    std::string into;  // the database's name when done
    restore_mode mode = restore_mode::create;
};

struct restore_plan {
    std::vector<database_step> steps;
    std::set<std::string> roles_to_create;
    std::vector<std::string> problems;  // any: refused
    std::vector<std::string> notes;     // what the user should know, not refusals
    int target_version_num = 0;
};

// Decide the steps: the databases of `meta` chosen by options.databases (all when empty),
// into options.target or their own names. Throws plugin::error for a database not in the
// snapshot or --target with several databases.
restore_plan plan_restore(connection& server, const snapshot_metadata& meta, const restore_options& options);

// Version, roles, extensions, sessions, names: fills plan.problems and plan.notes.
// `can_create_roles`: a globals script is at hand to create missing roles from.
void check_plan(connection& server, const snapshot_metadata& meta, const restore_options& options,
                bool can_create_roles, restore_plan& plan);

// plugin::error(HF_ERR_PRECONDITION) listing every problem, when there is any.
void refuse_if_problems(const restore_plan& plan, std::string_view what);

nlohmann::json describe(const restore_plan& plan);

// Where Debian gets an extension from, for the "cannot install" message.
std::string extension_source(const std::string& extension, int server_major);

}  // namespace holdfast::engines::postgresql
