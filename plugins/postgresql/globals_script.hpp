// The globals stream (pg_dumpall --globals-only) is a script of one statement per line. A
// restore that finds roles missing on the target runs just the statements that create and
// configure those roles, and the memberships between roles that then exist: never the
// whole script, which would alter roles the target already has.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::engines::postgresql {

// The statements of `script` that concern `missing` roles: CREATE ROLE, ALTER ROLE, COMMENT
// ON ROLE of those roles, and GRANT ... TO ... where a missing role takes part and every role
// named will exist (`existing` plus `missing`).
std::vector<std::string> role_statements(std::string_view script, const std::set<std::string>& missing,
                                         const std::set<std::string>& existing);

}  // namespace holdfast::engines::postgresql
