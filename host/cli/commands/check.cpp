// `holdfast check`: verifies the repository and reports every problem, one line each;
// exit 5 when there are any. Takes a shared lock, so backups may run meanwhile (their
// new packs show up as unreferenced until their index is written).
#include "cli/commands/commands.hpp"
#include "cli/commands/maintenance_options.hpp"
#include "cli/repository_access.hpp"
#include "cli/units.hpp"
#include "core/error.hpp"
#include "maintenance/check.hpp"
#include "repository/crypto.hpp"
#include "repository/repository_lock.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <ostream>

namespace holdfast::cli {
namespace {

using json = nlohmann::ordered_json;

std::uint64_t random_seed() {
    const auto bytes = repository::random_bytes(8);
    std::uint64_t seed = 0;
    std::memcpy(&seed, bytes.data(), sizeof seed);
    return seed;
}

std::uint64_t parse_seed(const std::string& text) {
    std::uint64_t seed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed, 16);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw usage_error("--read-data-seed: '" + text +
                          "' is not a hexadecimal number (check prints the seed it used)");
    return seed;
}

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", fraction * 100);
    return text;
}

std::string hex_seed(std::uint64_t seed) {
    char text[20];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(seed));
    return text;
}

maintenance::check_options options_from(const po::variables_map& vm) {
    maintenance::check_options options;
    options.read_data = vm.count("read-data") > 0;
    if (vm.count("read-data-subset")) {
        options.read_data = true;
        options.subset = parse_fraction(vm["read-data-subset"].as<std::string>(), "--read-data-subset", false);
        options.subset_seed =
            vm.count("read-data-seed") ? parse_seed(vm["read-data-seed"].as<std::string>()) : random_seed();
    } else if (vm.count("read-data-seed")) {
        throw usage_error("--read-data-seed only applies with --read-data-subset");
    }
    return options;
}

// "1 key slot", "3 key slots".
std::string counted(std::uint64_t n, const std::string& what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

void print_summary(std::ostream& out, const maintenance::check_options& options,
                   const maintenance::check_report& report, double read_fraction) {
    out << "checked " << counted(report.key_slots, "key slot") << ", " << counted(report.indexes, "index object")
        << ", " << counted(report.packs, "pack") << ", " << counted(report.snapshots, "snapshot") << " ("
        << counted(report.blobs, "blob") << "), " << counted(report.proofs, "restore-test proof") << '\n';
    if (options.read_data) {
        out << "read " << report.packs_read << " of " << report.packs << " packs (" << percent(read_fraction) << ", "
            << human_bytes(report.bytes_read) << ")";
        if (options.subset)
            out << ", a " << percent(*options.subset) << " subset chosen with --read-data-seed "
                << hex_seed(options.subset_seed);
        out << '\n';
    } else {
        out << "pack contents were not read; --read-data verifies every blob\n";
    }
    if (report.clean())
        out << "no problems found\n";
    else
        out << counted(report.problems, "problem") << " found\n";
}

int run(context& ctx, const po::variables_map& vm) {
    const maintenance::check_options options = options_from(vm);
    // check builds its own index from the readable index objects: a damaged one is a
    // problem to report, not a reason to stop.
    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared, "holdfast check");

    json problems = json::array();
    json notes = json::array();
    json warnings = json::array();
    maintenance::check_output output;
    if (ctx.global.json) {
        output.problem = [&](const std::string& line) { problems.push_back(line); };
        output.note = [&](const std::string& line) { notes.push_back(line); };
        output.warning = [&](const std::string& line) { warnings.push_back(line); };
    } else {
        // As found: a long check shows its findings while it runs.
        output.problem = [&](const std::string& line) { ctx.out << "problem: " << line << std::endl; };
        output.note = [&](const std::string& line) { ctx.out << "note: " << line << std::endl; };
        output.warning = [&](const std::string& line) { ctx.out << "warning: " << line << std::endl; };
    }
    const maintenance::check_report report = maintenance::run_check(session.repo, options, output);
    lock.release();

    const double read_fraction =
        report.packs == 0 ? 0 : static_cast<double>(report.packs_read) / static_cast<double>(report.packs);
    if (ctx.global.json) {
        json doc = {{"ok", report.clean()},
                    {"problems", std::move(problems)},
                    {"unreferenced_packs", std::move(notes)},
                    {"warnings", std::move(warnings)},
                    {"key_slots", report.key_slots},
                    {"indexes", report.indexes},
                    {"packs", report.packs},
                    {"snapshots", report.snapshots},
                    {"proofs", report.proofs},
                    {"blobs", report.blobs}};
        if (options.read_data)
            doc["read_data"] = {{"packs_read", report.packs_read},
                                {"bytes_read", report.bytes_read},
                                {"fraction", read_fraction},
                                {"subset", options.subset ? json(*options.subset) : json(nullptr)},
                                {"seed", options.subset ? json(hex_seed(options.subset_seed)) : json(nullptr)}};
        ctx.out << doc.dump(2) << '\n';
    } else {
        print_summary(ctx.out, options, report, read_fraction);
    }
    return report.clean() ? 0 : static_cast<int>(exit_code::check_failed);
}

}  // namespace

command check_command() {
    command c;
    c.name = "check";
    c.summary = "Verify the repository's structure, and with --read-data its data";
    c.usage = "holdfast check [--repo LOCATION] [--read-data | --read-data-subset PERCENT] [--json]";
    c.details =
        "Checks that the config and every key slot, index and snapshot object is intact (named by the SHA-256 of "
        "its bytes, authenticated, decodable), that every pack an index lists exists with the right size, and "
        "that every blob a snapshot uses (and every base of a delta blob) is indexed. --read-data also reads "
        "every pack: its SHA-256 must match its name and every blob must decode and authenticate; "
        "--read-data-subset reads a random share of the packs (a different one each run, or the one --read-data-seed picks). Each problem is one line naming "
        "the object; packs no index lists are noted (the next backup reuses them, prune removes them) but are "
        "not problems. Restore-test proofs must decode; one whose snapshot is gone is a warning. Exit code 5 when "
        "problems were found. Takes a shared lock.";
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
        add_check_options(desc);
    };
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
