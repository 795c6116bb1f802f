// `holdfast unlock`: removes the locks of holdfast processes that stopped
// without releasing them (stale: no heartbeat for the stale timeout), or with
// --all every lock. Takes no lock itself: it is what clears them.
#include "cli/commands/commands.hpp"
#include "cli/repository_access.hpp"
#include "repository/object_names.hpp"
#include "repository/repository_lock.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace holdfast::cli {
namespace {

using json = nlohmann::ordered_json;

std::string freshness(const repository::lock_info& lock, repository::utc_time now,
                      const repository::lock_timing& timing) {
    return lock.stale(now, timing) ? "stale " : "live ";
}

json to_json(const repository::lock_info& lock, repository::utc_time now, const repository::lock_timing& timing) {
    return {{"id", lock.id.hex()},
            {"readable", lock.readable},
            {"exclusive", lock.exclusive},
            {"command", lock.command},
            {"host", lock.host},
            {"user", lock.user},
            {"pid", lock.pid},
            {"created", repository::format_utc(lock.created)},
            {"refreshed", repository::format_utc(lock.refreshed)},
            {"stale", lock.stale(now, timing)}};
}

int run(context& ctx, const po::variables_map& vm) {
    const auto session = open_repository(ctx, vm, index_use::skip);
    const bool all = vm.count("all") > 0;
    const repository::lock_timing timing;
    const auto now = repository::utc_now();

    // --all removes live locks too: say whose first, so the operator sees
    // what they just overrode even if the removal fails half-way.
    if (all && !ctx.global.json)
        for (const auto& lock : repository::list_locks(session.repo))
            ctx.out << "found " << freshness(lock, now, timing) << lock.describe(now) << '\n';

    const auto result = repository::remove_locks(session.repo, all, timing);
    if (ctx.global.json) {
        json removed = json::array();
        json kept = json::array();
        for (const auto& lock : result.removed) removed.push_back(to_json(lock, now, timing));
        for (const auto& lock : result.kept) kept.push_back(to_json(lock, now, timing));
        ctx.out << json{{"removed", std::move(removed)}, {"kept", std::move(kept)}}.dump(2) << '\n';
        return 0;
    }
    for (const auto& lock : result.removed)
        ctx.out << "removed " << repository::names::lock(lock.id) << ": " << freshness(lock, now, timing)
                << lock.describe(now) << '\n';
    if (result.removed.empty()) ctx.out << (all ? "no locks to remove\n" : "no stale locks to remove\n");
    for (const auto& lock : result.kept)
        ctx.out << "kept " << freshness(lock, now, timing) << lock.describe(now)
                << "; 'holdfast unlock --all' removes it once that process is surely gone\n";
    return 0;
}

}  // namespace

command unlock_command() {
    command c;
    c.name = "unlock";
    c.summary = "Remove stale locks left by holdfast processes that stopped";
    c.usage = "holdfast unlock [--repo LOCATION] [--all] [--json]";
    c.details =
        "A lock is stale when its holder has not refreshed it for 5 minutes: the process stopped without "
        "releasing it. unlock removes those and keeps live ones. --all removes every lock, live ones included, "
        "after listing them: use it only when no holdfast process uses the repository.";
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
        desc.add_options()("all", "remove every lock, live ones included");
    };
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
