#include "cli/snapshot_choice.hpp"

#include "core/error.hpp"
#include "repository/snapshots.hpp"

#include <set>

namespace holdfast::cli {

repository::object_id choose_snapshot(const repository::repo& repo, const std::string& spec,
                                      const std::optional<std::string>& source) {
    if (spec == "latest" && !source) {
        std::set<std::string> sources;
        for (const auto& listed : repository::list_snapshots(repo)) sources.insert(listed.doc.source);
        if (sources.size() > 1) {
            std::string names;
            for (const auto& s : sources) names += (names.empty() ? "" : ", ") + s;
            throw usage_error("the repository has snapshots of several sources (" + names +
                              "); say whose latest snapshot you mean with --source NAME");
        }
    }
    return repository::resolve_snapshot(repo, spec, source.value_or(""));
}

}  // namespace holdfast::cli
