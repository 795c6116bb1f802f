// `holdfast dump <snapshot> <stream>`: one stream of a snapshot, as the engine wrote it, to
// stdout or to a file. The bytes are verified as for a restore; a file is written under a
// temporary name and renamed only once the whole stream checked out, so a damaged snapshot
// never leaves a plausible-looking file behind. A stream may be named by what it holds: the
// postgresql engine's `database.app` is also `app` (cli/stream_alias.hpp).
#include "cli/command.hpp"
#include "cli/commands/commands.hpp"
#include "cli/option_values.hpp"
#include "cli/repository_access.hpp"
#include "cli/snapshot_choice.hpp"
#include "cli/stream_alias.hpp"
#include "core/error.hpp"
#include "pipeline/atomic_file.hpp"
#include "pipeline/snapshot_origin.hpp"
#include "progress/format.hpp"
#include "progress/json_lines.hpp"
#include "progress/reporter.hpp"
#include "repository/repository_lock.hpp"
#include "repository/snapshots.hpp"

#include <holdfast/client/common.hpp>

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace holdfast::cli {
namespace {

constexpr std::size_t buffer_size = 1024 * 1024;

void define(po::options_description& desc, po::positional_options_description& positional) {
    desc.add_options()  //
        ("snapshot", text_value("SNAPSHOT"),
         "the snapshot: its id, a unique prefix of it (4+ hex digits), or 'latest'")  //
        ("stream", text_value("STREAM"),
         "the stream's name, or what it holds when that is unique: a database's plain name for "
         "database.<name>")  //
        ("output,o", text_value("FILE"),
         "write to FILE (atomically: it appears only once complete and verified) instead of stdout")  //
        ("source", text_value("NAME"), "with 'latest': the newest snapshot of this source");
    add_repository_options(desc);
    positional.add("snapshot", 1).add("stream", 1);
}

std::optional<std::string> optional_string(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
}

// Text is what a terminal can show: valid UTF-8 without NUL bytes. A chunk may end inside a
// character, so up to three trailing bytes are forgiven.
bool looks_binary(std::span<const std::byte> head) {
    const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
    if (text.find('\0') != std::string_view::npos) return true;
    for (std::size_t cut = 0; cut <= std::min<std::size_t>(3, text.size()); ++cut)
        if (client::valid_utf8(text.substr(0, text.size() - cut))) return false;
    return true;
}

// Reads the whole stream into `write`. The reader withholds the end of a stream that fails
// its check, and throws.
template <typename Write>
std::uint64_t copy_stream(pipeline::snapshot_stream_reader& reader, Write&& write) {
    std::vector<std::byte> buffer(buffer_size);
    std::uint64_t copied = 0;
    while (const std::size_t n = reader.read(buffer)) {
        write(std::span<const std::byte>(buffer).first(n));
        copied += n;
    }
    return copied;
}

int run(context& ctx, const po::variables_map& vm) {
    if (!vm.count("snapshot") || !vm.count("stream"))
        throw usage_error("dump needs a snapshot and a stream name; see 'holdfast dump --help'");
    const auto output = optional_string(vm, "output");
    if (ctx.global.json && !output)
        throw usage_error("--json needs --output FILE: without it the stream itself goes to stdout");
    const auto source = optional_string(vm, "source");
    const std::string asked = vm["stream"].as<std::string>();

    auto session = open_repository(ctx, vm, index_use::skip);
    auto lock = repository::repository_lock::acquire(session.repo, repository::lock_kind::shared, "holdfast dump");
    session.repo.load_index();  // under the lock: a prune cannot change it meanwhile
    const auto id = choose_snapshot(session.repo, vm["snapshot"].as<std::string>(), source);

    // When stdout carries the data, progress can only go to a terminal's stderr.
    progress::reporter progress(progress::choose_display(ctx.global.json && output), ctx.out);
    const repository::snapshot snap = repository::load_snapshot(session.repo, id);
    std::vector<std::string> names;
    for (const auto& s : snap.streams) names.push_back(s.name);
    const std::string stream_name = find_stream(names, asked).value_or(asked);
    pipeline::snapshot_origin origin(session.repo, snap, {}, &progress);
    std::unique_ptr<pipeline::snapshot_stream_reader> reader;
    try {
        reader = origin.open_stream(stream_name);
    } catch (const client::plugin_error& e) {
        throw usage_error(e.what());
    }
    progress.start_phase("dump", reader->stream().size);

    std::uint64_t written = 0;
    if (output) {
        pipeline::atomic_file file(*output);
        written = copy_stream(*reader, [&](std::span<const std::byte> data) { file.write(data); });
        file.commit();
    } else {
        bool checked = ::isatty(STDOUT_FILENO) != 1;
        written = copy_stream(*reader, [&](std::span<const std::byte> data) {
            if (!checked && looks_binary(data.first(std::min<std::size_t>(data.size(), 8192))))
                throw usage_error("stream '" + stream_name +
                                  "' is binary: not writing it to a terminal; use --output FILE or redirect stdout");
            checked = true;
            ctx.out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
            if (!ctx.out) throw error("writing to stdout failed");
        });
        ctx.out.flush();
    }
    progress.finish();
    lock.release();

    if (output && ctx.global.json) {
        progress::print_result(ctx.out, {{"snapshot", id.hex()},
                                         {"stream", stream_name},
                                         {"bytes", written},
                                         {std::string(reader->stream().checksum.key()), reader->stream().checksum.hex},
                                         {"output", *output}});
    } else if (output) {
        ctx.out << "wrote stream " << stream_name << " of snapshot " << id.short_hex() << " to " << *output << ": "
                << progress::format_bytes(written) << '\n';
    }
    return 0;
}

}  // namespace

command dump_command() {
    command c;
    c.name = "dump";
    c.summary = "Write one stream of a snapshot to stdout or a file";
    c.usage = "holdfast dump <snapshot> <stream> [--output FILE] [--source NAME]";
    c.details =
        "Writes the stream exactly as the engine produced it at backup (a database file, a dump, a "
        "command's output), verified blob by blob and against its recorded checksum. With --output the file "
        "appears only when complete and verified; on any error it is not created (or left as it was). "
        "Binary data is not written to a terminal: use --output or a redirection. When no stream is called "
        "exactly STREAM, the one called <segment>.STREAM (with '%', '.', '/' and '\\' of STREAM written %25, "
        "%2E, %2F, %5C) is taken when there is one: a database's plain name for its database.<name> stream.";
    c.define = define;
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
