// `holdfast forget`: applies a retention policy per source and deletes the snapshot
// documents it does not keep; with --prune, then prunes. Takes a shared lock (see
// maintenance/forget.hpp for why that is enough); --prune then takes an exclusive one.
#include "cli/commands/commands.hpp"
#include "cli/commands/maintenance_options.hpp"
#include "cli/commands/prune_report_output.hpp"
#include "cli/repository_access.hpp"
#include "core/error.hpp"
#include "maintenance/forget.hpp"
#include "maintenance/prune.hpp"
#include "repository/repository_lock.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <ostream>

namespace holdfast::cli {
namespace {

using json = nlohmann::ordered_json;
using maintenance::retention_decision;
using decision_iterator = std::vector<retention_decision>::const_iterator;

unsigned count_option(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return 0;
    const int n = vm[name].as<int>();
    if (n < 1)
        throw usage_error(std::string("--") + name + " must be at least 1 (leave it out to not use that rule)");
    return static_cast<unsigned>(n);
}

maintenance::retention_policy policy_from(const po::variables_map& vm) {
    maintenance::retention_policy policy;
    policy.last = count_option(vm, "keep-last");
    policy.hourly = count_option(vm, "keep-hourly");
    policy.daily = count_option(vm, "keep-daily");
    policy.weekly = count_option(vm, "keep-weekly");
    policy.monthly = count_option(vm, "keep-monthly");
    policy.yearly = count_option(vm, "keep-yearly");
    if (vm.count("keep-within"))
        policy.within = maintenance::calendar_duration::parse(vm["keep-within"].as<std::string>(), "--keep-within");
    maintenance::require_policy(policy);
    return policy;
}

// "2026-11-21 12:00:05Z": UTC, the zone the policy's periods are counted in.
std::string utc_text(repository::utc_time time) {
    std::string text = repository::format_utc(time).substr(0, 19) + "Z";
    text[10] = ' ';
    return text;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// Calls `each` with every source's decisions (apply_retention groups them).
template <typename Fn>
void for_each_source(const std::vector<retention_decision>& decisions, Fn each) {
    for (auto first = decisions.begin(); first != decisions.end();) {
        const auto end = std::find_if(first, decisions.end(),
                                      [&](const retention_decision& d) { return d.source != first->source; });
        each(first, end);
        first = end;
    }
}

void print_plan(std::ostream& out, const maintenance::forget_plan& plan, bool dry_run) {
    for_each_source(plan.decisions, [&](decision_iterator first, decision_iterator end) {
        const auto kept = std::count_if(first, end, [](const retention_decision& d) { return d.keep; });
        out << "source " << first->source << ": keeping " << kept << " of " << (end - first) << " snapshots\n";
        for (auto it = first; it != end; ++it)
            out << "  " << (it->keep ? "keep        " : dry_run ? "would remove" : "remove      ") << "  "
                << it->id.short_hex() << "  " << utc_text(it->time) << (it->keep ? "  " + join(it->reasons) : "")
                << '\n';
    });
    if (plan.decisions.empty()) out << "no snapshots match\n";
    for (const auto& name : plan.unreadable)
        out << "left alone: " << name << " cannot be read ('holdfast check' tells why)\n";
}

json plan_json(const maintenance::forget_plan& plan) {
    json groups = json::array();
    for_each_source(plan.decisions, [&](decision_iterator first, decision_iterator end) {
        json keep = json::array(), remove = json::array();
        for (auto it = first; it != end; ++it) {
            json entry = {{"id", it->id.hex()}, {"time", repository::format_utc(it->time)}};
            if (it->keep) {
                entry["reasons"] = it->reasons;
                keep.push_back(std::move(entry));
            } else {
                remove.push_back(std::move(entry));
            }
        }
        groups.push_back({{"source", first->source}, {"keep", std::move(keep)}, {"remove", std::move(remove)}});
    });
    return groups;
}

int run(context& ctx, const po::variables_map& vm) {
    // Checked before the repository is opened: a mistake costs no password prompt.
    const maintenance::retention_policy policy = policy_from(vm);
    maintenance::forget_filter filter;
    if (vm.count("source")) filter.source = vm["source"].as<std::string>();
    if (vm.count("tag")) filter.tags = vm["tag"].as<std::vector<std::string>>();
    const bool dry_run = vm.count("dry-run") > 0;
    const bool then_prune = vm.count("prune") > 0;
    maintenance::prune_options prune_options = prune_options_from(vm);

    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared, "holdfast forget");
    const maintenance::forget_plan plan = maintenance::plan_forget(session.repo, policy, filter);
    if (!ctx.global.json) print_plan(ctx.out, plan, dry_run);

    const std::size_t removed = dry_run ? 0 : maintenance::execute_forget(session.repo, plan);
    if (!ctx.global.json) {
        if (dry_run)
            ctx.out << "would remove " << plan.to_remove().size() << " snapshots (dry run: nothing was deleted)\n";
        else
            ctx.out << "removed " << removed << " snapshots"
                    << (then_prune || removed == 0 ? "" : "; run 'holdfast prune' to free the space only they used")
                    << '\n';
    }

    std::optional<maintenance::prune_report> pruned;
    if (then_prune) {
        prune_options.dry_run = dry_run;
        if (dry_run) {
            // Nothing was deleted: prune plans as if it had been.
            prune_options.assume_forgotten = plan.to_remove();
            pruned = maintenance::prune(session.repo, prune_options);
        } else {
            lock.release();
            auto exclusive =
                repository::repository_lock::acquire(session.repo, repository::lock_kind::exclusive, "holdfast prune");
            prune_options.check_lock = [&exclusive] { exclusive.check(); };
            pruned = maintenance::prune(session.repo, prune_options);
        }
        if (!ctx.global.json) print_prune_report(ctx.out, *pruned);
    }

    if (ctx.global.json) {
        json doc = {{"dry_run", dry_run},
                    {"policy", policy.describe()},
                    {"groups", plan_json(plan)},
                    {"unreadable", plan.unreadable},
                    {"removed", removed}};
        if (pruned) doc["prune"] = prune_report_json(*pruned);
        ctx.out << doc.dump(2) << '\n';
    }
    return 0;
}

}  // namespace

command forget_command() {
    command c;
    c.name = "forget";
    c.summary = "Remove snapshots by a retention policy (per source)";
    c.usage =
        "holdfast forget [--repo LOCATION] [--keep-last N] [--keep-hourly N] [--keep-daily N] [--keep-weekly N] "
        "[--keep-monthly N] [--keep-yearly N] [--keep-within DURATION] [--source NAME] [--tag T]... [--dry-run] "
        "[--prune] [--json]";
    c.details =
        "Applies the policy to each source's snapshots on its own and removes the snapshot documents no rule "
        "keeps. --keep-daily 7 keeps the newest snapshot of each of the 7 most recent days that have one "
        "(hourly, weekly, monthly and yearly alike; periods are counted in UTC, weeks are ISO weeks); --keep-last "
        "N keeps the N newest; --keep-within DURATION (7d, 2w, 1m, 1y, 36h, or combined: 1y6m) keeps every "
        "snapshot newer than the source's newest snapshot minus DURATION. A snapshot is kept if any rule keeps "
        "it; the listing says which. At least one rule is required. --source and --tag (repeatable: every tag "
        "given) restrict which snapshots are considered; the others are left alone. Takes a shared lock. The data is "
        "freed by 'holdfast prune', or by --prune right away.";
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
        add_forget_options(desc);
        add_prune_options(desc);
    };
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
