// `holdfast stats`: what the repository holds and how much deduplication and
// compression save. Reads the snapshot documents, the index objects and one
// listing of data/; never a pack.
#include "cli/commands/commands.hpp"
#include "cli/repository_access.hpp"
#include "cli/text_table.hpp"
#include "cli/units.hpp"
#include "maintenance/blob_id_set.hpp"
#include "maintenance/pack_inventory.hpp"
#include "repository/index_file.hpp"
#include "repository/repository_lock.hpp"
#include "repository/snapshots.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <ostream>

namespace holdfast::cli {
namespace {

using json = nlohmann::ordered_json;

struct source_totals {
    std::uint64_t snapshots = 0;
    std::uint64_t bytes = 0;
    repository::utc_time latest{};
};

struct totals {
    std::uint64_t snapshots = 0;
    std::uint64_t snapshot_bytes = 0;
    std::map<std::string, source_totals> sources;
    std::uint64_t packs = 0;
    std::uint64_t pack_bytes = 0;
    std::uint64_t indexed_packs = 0;
    std::uint64_t index_objects = 0;
    std::uint64_t data_blobs = 0;
    std::uint64_t list_blobs = 0;
    std::uint64_t sketch_blobs = 0;
    std::uint64_t data_plaintext = 0;
    std::uint64_t plaintext = 0;
    std::uint64_t stored = 0;
};

void count_snapshots(const repository::repo& repo, totals& t) {
    for (const auto& s : repository::list_snapshots(repo)) {
        std::uint64_t size = 0;
        for (const auto& stream : s.doc.streams) size += stream.size;
        ++t.snapshots;
        t.snapshot_bytes += size;
        auto& source = t.sources[s.doc.source];
        ++source.snapshots;
        source.bytes += size;
        source.latest = std::max(source.latest, s.doc.time);
    }
}

// Unique blobs across every index object (the same blob in two packs counts once,
// as it is restored once), and the packs the indexes name that exist in data/.
void count_blobs(const repository::repo& repo, totals& t) {
    const auto inventory = maintenance::pack_inventory::list(repo.storage());
    t.packs = inventory.packs().size();
    t.pack_bytes = inventory.total_bytes();

    maintenance::blob_id_set blobs;
    maintenance::blob_id_set indexed;
    auto codec = repo.codecs().borrow();
    for (const auto& id : repository::list_indexes(repo.storage())) {
        ++t.index_objects;
        for (const auto& pack : repository::read_index(repo.storage(), codec->objects(), id)) {
            if (inventory.find(pack.pack) != nullptr && indexed.insert(pack.pack)) ++t.indexed_packs;
            for (const auto& record : pack.records) {
                if (!blobs.insert(record.id)) continue;
                const bool data = record.type == repository::blob_type::data;
                ++(data                                            ? t.data_blobs
                   : record.type == repository::blob_type::list ? t.list_blobs
                                                                : t.sketch_blobs);
                if (data) t.data_plaintext += record.plain_length;
                t.plaintext += record.plain_length;
                t.stored += record.stored_length;
            }
        }
    }
}

json ratio_json(std::uint64_t numerator, std::uint64_t denominator) {
    if (denominator == 0) return nullptr;
    return static_cast<double>(numerator) / static_cast<double>(denominator);
}

void print_json(std::ostream& out, const std::string& location, const totals& t) {
    json sources = json::array();
    for (const auto& [name, s] : t.sources)
        sources.push_back({{"source", name},
                           {"snapshots", s.snapshots},
                           {"size", s.bytes},
                           {"latest", repository::format_utc(s.latest)}});
    const json doc = {{"location", location},
                      {"snapshots", t.snapshots},
                      {"snapshot_bytes", t.snapshot_bytes},
                      {"sources", std::move(sources)},
                      {"packs", t.packs},
                      {"pack_bytes", t.pack_bytes},
                      {"indexed_packs", t.indexed_packs},
                      {"unindexed_packs", t.packs - t.indexed_packs},
                      {"index_objects", t.index_objects},
                      {"blobs", t.data_blobs + t.list_blobs + t.sketch_blobs},
                      {"data_blobs", t.data_blobs},
                      {"list_blobs", t.list_blobs},
                      {"sketch_blobs", t.sketch_blobs},
                      {"plaintext_bytes", t.plaintext},
                      {"stored_bytes", t.stored},
                      {"deduplication_ratio", ratio_json(t.snapshot_bytes, t.data_plaintext)},
                      {"compression_ratio", ratio_json(t.plaintext, t.stored)},
                      {"total_ratio", ratio_json(t.snapshot_bytes, t.pack_bytes)}};
    out << doc.dump(2) << '\n';
}

void print_text(std::ostream& out, const std::string& location, const totals& t) {
    out << "repository     " << location << '\n' << "snapshots      " << t.snapshots;
    if (t.snapshots > 0)
        out << " of " << t.sources.size() << (t.sources.size() == 1 ? " source, " : " sources, ")
            << human_bytes(t.snapshot_bytes);
    out << '\n' << "packs          " << t.packs << ", " << human_bytes(t.pack_bytes);
    if (t.packs != t.indexed_packs)
        out << " (" << t.packs - t.indexed_packs << " not indexed yet: the next backup reuses them)";
    out << '\n'
        << "blobs          " << t.data_blobs + t.list_blobs + t.sketch_blobs << " (" << t.data_blobs << " data, "
        << t.list_blobs << " content lists, " << t.sketch_blobs << " sketches), " << human_bytes(t.plaintext)
        << " plaintext, " << human_bytes(t.stored) << " stored\n"
        << "deduplication  " << ratio(t.snapshot_bytes, t.data_plaintext) << '\n'
        << "compression    " << ratio(t.plaintext, t.stored) << '\n'
        << "total          " << ratio(t.snapshot_bytes, t.pack_bytes) << '\n';
    if (t.sources.empty()) return;
    out << '\n';
    text_table table({"SOURCE", "SNAPSHOTS", "SIZE", "LATEST"});
    table.align_right(1).align_right(2);
    for (const auto& [name, s] : t.sources)
        table.add({name, std::to_string(s.snapshots), human_bytes(s.bytes), local_time(s.latest)});
    table.print(out);
}

int run(context& ctx, const po::variables_map& vm) {
    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared, "holdfast stats");
    totals t;
    count_snapshots(session.repo, t);
    count_blobs(session.repo, t);
    lock.release();
    if (ctx.global.json)
        print_json(ctx.out, session.repo.location(), t);
    else
        print_text(ctx.out, session.repo.location(), t);
    return 0;
}

}  // namespace

command stats_command() {
    command c;
    c.name = "stats";
    c.summary = "Show what the repository holds and what deduplication and compression save";
    c.usage = "holdfast stats [--repo LOCATION] [--json]";
    c.details =
        "Counts snapshots per source, pack files and their bytes on storage, and the unique blobs the index "
        "objects list with their plaintext and stored bytes. Ratios: deduplication (snapshot bytes per unique "
        "data byte), compression (plaintext per stored byte), total (snapshot bytes per byte in packs). Takes a "
        "shared lock.";
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
    };
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
