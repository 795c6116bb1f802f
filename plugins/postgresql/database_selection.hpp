// Which databases a backup takes: the ones asked for (options, else settings), or every
// database that accepts connections and is not a template nor a copy a restore kept
// (<name>_pre_restore_<time>, <name>_rolled_back_<time>); minus the excluded ones. A name
// that does not exist is an error listing the ones that do, not a silently smaller backup.
#pragma once

#include "server_info.hpp"

#include <string>
#include <vector>

namespace holdfast::engines::postgresql {

std::vector<database_info> select_databases(const std::vector<database_info>& all,
                                            const std::vector<std::string>& wanted,
                                            const std::vector<std::string>& excluded);

}  // namespace holdfast::engines::postgresql
