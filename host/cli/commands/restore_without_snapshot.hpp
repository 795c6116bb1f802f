// `holdfast restore --rollback DB --source SOURCE`: a restore without a snapshot, for the
// engine options a manifest marks "standalone" (docs/plugins.md). No repository is opened:
// the source (a configured name or a URL, or --source-url) says which engine, and the
// engine's restore gets no streams and metadata "{}".
#pragma once

#include "cli/command.hpp"

#include <optional>
#include <string>

namespace holdfast::cli {

// `name` is --source, `url` --source-url; `vm` holds restore's own options. Throws
// usage_error when neither names a source, or when no standalone option was given.
int restore_without_snapshot(context& ctx, const po::variables_map& vm, const std::optional<std::string>& name,
                             const std::optional<std::string>& url);

}  // namespace holdfast::cli
