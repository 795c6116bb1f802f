#include "cli/commands/maintenance_options.hpp"

#include "cli/option_values.hpp"
#include "core/error.hpp"
#include "maintenance/calendar_duration.hpp"

#include <charconv>
#include <string>
#include <vector>

namespace holdfast::cli {

double parse_fraction(std::string_view text, std::string_view option, bool allow_zero) {
    const auto bad = [&] {
        return usage_error(std::string(option) + ": '" + std::string(text) + "' is not a percentage " +
                           (allow_zero ? "from 0% to 100%" : "above 0% and up to 100%") + " (like 25% or 0.25)");
    };
    std::string_view number = text;
    const bool percent = number.ends_with('%');
    if (percent) number.remove_suffix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (number.empty() || ec != std::errc() || end != number.data() + number.size()) throw bad();
    if (percent) value /= 100;
    if (!(value >= 0 && value <= 1) || (!allow_zero && value == 0)) throw bad();
    return value;
}

void add_check_options(po::options_description& desc) {
    desc.add_options()
        ("read-data", "read every pack and verify every blob")
        ("read-data-subset", text_value("PERCENT"),
         "read this share of the packs, chosen at random (like 10%)")
        ("read-data-seed", text_value("HEX"),
         "with --read-data-subset: choose the subset a previous run printed");
}

void add_forget_options(po::options_description& desc) {
    desc.add_options()
        ("keep-last", po::value<int>()->value_name("N"), "keep the N newest snapshots")
        ("keep-hourly", po::value<int>()->value_name("N"), "keep the newest snapshot of each of the last N hours that have one")
        ("keep-daily", po::value<int>()->value_name("N"), "keep the newest snapshot of each of the last N days that have one")
        ("keep-weekly", po::value<int>()->value_name("N"), "keep the newest snapshot of each of the last N ISO weeks that have one")
        ("keep-monthly", po::value<int>()->value_name("N"), "keep the newest snapshot of each of the last N months that have one")
        ("keep-yearly", po::value<int>()->value_name("N"), "keep the newest snapshot of each of the last N years that have one")
        ("keep-within", text_value("DURATION"),
         "keep every snapshot within DURATION of the newest one (7d, 2w, 1m, 1y, 36h)")
        ("source", text_value("NAME"), "only snapshots of this source")
        ("tag", po::value<std::vector<std::string>>()->value_name("TAG"),
         "only snapshots with this tag (repeatable: with every one given)")
        ("dry-run", "list what would be removed and why the rest is kept; delete nothing")
        ("prune", "then run 'holdfast prune' (with the options below)");
}

void add_prune_options(po::options_description& desc) {
    desc.add_options()
        ("max-repack-ratio", text_value("PERCENT"),
         "repack a partly used pack when more than this share of its bytes is unused (0% repacks every "
         "partly used pack, 100% none; default 25%)")
        ("orphan-grace", text_value("DURATION"),
         "leave packs no index lists alone while younger than this (a backup may still be writing them; "
         "default 1h)");
}

maintenance::prune_options prune_options_from(const po::variables_map& vm) {
    maintenance::prune_options options;
    const auto text = [&](const char* name, const char* fallback) {
        return vm.count(name) ? vm[name].as<std::string>() : std::string(fallback);
    };
    options.max_unused_ratio = parse_fraction(text("max-repack-ratio", "25%"), "--max-repack-ratio", true);
    const auto grace = maintenance::calendar_duration::parse(text("orphan-grace", "1h"), "--orphan-grace");
    const auto now = repository::utc_now();
    options.orphan_grace = std::chrono::duration_cast<std::chrono::seconds>(now - maintenance::subtract(now, grace));
    return options;
}

}  // namespace holdfast::cli
