// Which snapshot a command means: an id, a unique prefix, or 'latest', which is refused as
// ambiguous when the repository holds snapshots of several sources and none was named.
#pragma once

#include "repository/object_id.hpp"
#include "repository/repository.hpp"

#include <optional>
#include <string>

namespace holdfast::cli {

// Throws usage_error for an unknown, ambiguous or malformed spec (repository::
// resolve_snapshot), and for 'latest' without `source` when several sources exist.
repository::object_id choose_snapshot(const repository::repo& repo, const std::string& spec,
                                      const std::optional<std::string>& source);

}  // namespace holdfast::cli
