// `holdfast snapshots`: the snapshots, oldest first, filtered by source and tags, with the
// outcome of their restore drills (proofs).
#include "cli/commands/commands.hpp"
#include "cli/repository_access.hpp"
#include "cli/text_table.hpp"
#include "cli/units.hpp"
#include "core/text.hpp"
#include "repository/proofs.hpp"
#include "repository/repository_lock.hpp"
#include "repository/snapshots.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ostream>
#include <span>
#include <string>

namespace holdfast::cli {
namespace {

using json = nlohmann::ordered_json;

std::uint64_t total_size(const repository::snapshot& snap) {
    std::uint64_t size = 0;
    for (const auto& stream : snap.streams) size += stream.size;
    return size;
}

bool has_every_tag(const repository::snapshot& snap, const std::vector<std::string>& tags) {
    return std::ranges::all_of(tags, [&](const std::string& tag) { return std::ranges::find(snap.tags, tag) != snap.tags.end(); });
}

// The PROOF column: the newest drill's outcome and local date, "-" when there was none.
std::string proof_cell(std::span<const repository::listed_proof> proofs) {
    if (proofs.empty()) return "-";
    const auto& newest = proofs.back().doc;
    return std::string(newest.passed ? "ok " : "FAILED ") + local_time(newest.time).substr(0, 10);
}

json proofs_json(std::span<const repository::listed_proof> proofs) {
    json out = json::array();
    for (const auto& p : proofs)
        out.push_back({{"id", p.id.hex()},
                       {"kind", p.doc.kind},
                       {"time", repository::format_utc(p.doc.time)},
                       {"host", p.doc.host},
                       {"passed", p.doc.passed},
                       {"duration_ms", p.doc.duration_ms},
                       {"summary", p.doc.summary}});
    return out;
}

json to_json(const repository::listed_snapshot& s, std::span<const repository::listed_proof> proofs) {
    const auto& d = s.doc;
    json streams = json::array();
    for (const auto& stream : d.streams)
        streams.push_back({{"name", stream.name},
                           {"size", stream.size},
                           {std::string(stream.checksum.key()), stream.checksum.hex}});
    return {{"id", s.id.hex()},
            {"short_id", s.id.short_hex()},
            {"time", repository::format_utc(d.time)},
            {"host", d.host},
            {"user", d.user},
            {"source", d.source},
            {"engine", d.engine},
            {"engine_version", d.engine_version},
            {"tags", d.tags},
            {"size", total_size(d)},
            {"parent", d.parent ? json(d.parent->hex()) : json(nullptr)},
            {"streams", std::move(streams)},
            {"metadata", d.metadata},
            {"summary",
             {{"duration_ms", d.summary.duration_ms},
              {"bytes_new", d.summary.bytes_new},
              {"blobs_new", d.summary.blobs_new},
              {"bytes_stored_new", d.summary.bytes_stored_new}}},
            {"proofs", proofs_json(proofs)}};
}

int run(context& ctx, const po::variables_map& vm) {
    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared,
                                                     "holdfast snapshots");
    auto all = repository::list_snapshots(session.repo);
    // One listing of proofs/ for every snapshot, not one per snapshot.
    const repository::proof_listing proofs = repository::list_all_proofs(session.repo);
    lock.release();
    for (const auto& line : proofs.unreadable) spdlog::warn("skipping a proof: {}", line);

    const auto tags = vm.count("tag") ? vm["tag"].as<std::vector<std::string>>() : std::vector<std::string>{};
    const bool filtered = vm.count("source") > 0 || !tags.empty();
    std::vector<repository::listed_snapshot> shown;
    for (auto& s : all) {
        if (vm.count("source") && s.doc.source != vm["source"].as<std::string>()) continue;
        if (!has_every_tag(s.doc, tags)) continue;
        shown.push_back(std::move(s));
    }

    if (ctx.global.json) {
        json list = json::array();
        for (const auto& s : shown) list.push_back(to_json(s, proofs.of(s.id)));
        ctx.out << list.dump(2) << '\n';
        return 0;
    }
    if (shown.empty()) {
        ctx.out << (filtered ? "no snapshots match\n" : "no snapshots\n");
        return 0;
    }
    text_table table({"ID", "TIME", "HOST", "SOURCE", "ENGINE", "SIZE", "PROOF", "TAGS"});
    table.align_right(5);
    for (const auto& s : shown)
        table.add({s.id.short_hex(), local_time(s.doc.time), s.doc.host, s.doc.source, s.doc.engine,
                   human_bytes(total_size(s.doc)), proof_cell(proofs.of(s.id)), join(s.doc.tags, ",")});
    table.print(ctx.out);
    ctx.out << shown.size() << (shown.size() == 1 ? " snapshot\n" : " snapshots\n");
    return 0;
}

}  // namespace

command snapshots_command() {
    command c;
    c.name = "snapshots";
    c.summary = "List the snapshots in the repository";
    c.usage = "holdfast snapshots [--repo LOCATION] [--source NAME] [--tag TAG]... [--json]";
    c.details =
        "Lists snapshots oldest first: short id, local time, host, source, engine, size (the sum of its "
        "streams, before deduplication), the newest restore test ('ok' or 'FAILED' and its date, from 'holdfast "
        "verify --restore-test'; '-' when none) and tags. --tag keeps snapshots carrying every tag given. Takes a "
        "shared lock.";
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
        desc.add_options()  //
            ("source", po::value<std::string>()->value_name("NAME"), "only this source's snapshots")  //
            ("tag", po::value<std::vector<std::string>>()->value_name("TAG"),
             "only snapshots with this tag (repeatable: all must match)");
    };
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
