#include "parallel_restore.hpp"

#include "custom_archive.hpp"
#include "early_post_data.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {

constexpr std::size_t buffer_size = 1 << 20;
// A batch of table data blocks for one pg_restore: small tables share a process.
constexpr std::uint64_t batch_bytes = std::uint64_t{64} << 20;
constexpr std::size_t batch_entries = 1000;
constexpr auto poll_interval = std::chrono::milliseconds(200);
// A table data block at least this large is read on its own handle rather than spooled,
// when the archive's input allows it: below this, a handle of its own (and the partly read
// chunks at both ends) costs more than spooling the block.
constexpr std::uint64_t direct_block_bytes = std::uint64_t{1} << 20;

// A private temporary directory holding the spooled archive and pg_restore's list files,
// removed with everything in it on destruction.
class spool_directory {
public:
    spool_directory() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/holdfast-pg_restore-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr)
            throw error(HF_ERR_IO, "cannot create a spool directory " + pattern + ": " + std::strerror(errno) +
                                       " (set TMPDIR to a writable directory, or restore without --jobs)");
        dir_ = pattern;
        archive_ = plugin::unique_fd(::open(archive_path().c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (!archive_) {
            const int e = errno;
            remove();
            throw error(HF_ERR_IO, "cannot create the spool file " + archive_path() + ": " + std::strerror(e));
        }
    }
    spool_directory(const spool_directory&) = delete;
    spool_directory& operator=(const spool_directory&) = delete;
    ~spool_directory() { remove(); }

    std::string archive_path() const { return (dir_ / "archive").string(); }
    const std::filesystem::path& path() const { return dir_; }

    void append(std::span<const std::byte> data) {
        while (!data.empty()) {
            const ssize_t n = ::write(archive_.get(), data.data(), data.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0)
                throw error(errno == ENOSPC ? HF_ERR_NO_SPACE : HF_ERR_IO,
                            "cannot write the spool file " + archive_path() + ": " + std::strerror(errno) +
                                " (set TMPDIR to a directory with room for the archive, or restore without --jobs)");
            data = data.subspan(static_cast<std::size_t>(n));
        }
    }

    // Bytes already appended; safe beside a concurrent append further on.
    void read_at(std::uint64_t offset, std::span<std::byte> out) const {
        while (!out.empty()) {
            const ssize_t n = ::pread(archive_.get(), out.data(), out.size(), static_cast<off_t>(offset));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0)
                throw error(HF_ERR_IO, "cannot read the spool file " + archive_path() + ": " +
                                           (n < 0 ? std::strerror(errno) : "it is shorter than written"));
            out = out.subspan(static_cast<std::size_t>(n));
            offset += static_cast<std::uint64_t>(n);
        }
    }

    // A pg_restore list file (--use-list) naming these TOC entries, in this order.
    std::string write_list(const std::string& name, const std::vector<int>& dump_ids) const {
        const auto file = (dir_ / name).string();
        std::ofstream out(file);
        for (int id : dump_ids) out << id << ";\n";
        out.close();
        if (!out) throw error(HF_ERR_IO, "cannot write the pg_restore list file " + file);
        return file;
    }

private:
    void remove() noexcept {
        archive_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    std::filesystem::path dir_;
    plugin::unique_fd archive_;
};

// Only a restore of everything in the archive runs in steps: pg_restore's own selection
// options apply to sections and lists in ways the steps would have to repeat.
bool whole_archive(const restore_selection& s) {
    return s.tables.empty() && s.schemas.empty() && !s.schema_only && !s.data_only && !s.clean_in_one_transaction;
}

// The table data blocks to read on their own, largest first: none unless the input can read
// ranges and the whole archive is restored. Blocks that overlap (metadata that cannot be
// right) are ignored, so the archive is spooled whole instead.
std::vector<archive_block_record> direct_blocks(const archive_input& input, const restore_selection& selection) {
    std::vector<archive_block_record> blocks;
    if (!input.open_range || !whole_archive(selection)) return blocks;
    for (const auto& b : input.table_blocks)
        if (b.length >= direct_block_bytes) blocks.push_back(b);
    std::sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
    for (std::size_t i = 1; i < blocks.size(); ++i)
        if (blocks[i].offset < blocks[i - 1].offset + blocks[i - 1].length) return {};
    std::stable_sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) { return a.length > b.length; });
    return blocks;
}

// The archive without `blocks`: the stretches between them, each read on a handle of its
// own. pg_dump's archive from a pipe records no block offsets, so pg_restore finds blocks by
// their headers, and an archive with whole blocks left out is still one it reads.
archive_source around_blocks(const archive_range_opener& open, std::vector<archive_block_record> blocks) {
    std::sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
    struct stretches {
        std::vector<std::pair<std::uint64_t, std::optional<std::uint64_t>>> left;
        std::size_t next = 0;
        archive_source current;
    };
    auto state = std::make_shared<stretches>();
    std::uint64_t at = 0;
    for (const auto& b : blocks) {
        if (b.offset > at) state->left.emplace_back(at, b.offset);
        at = b.offset + b.length;
    }
    state->left.emplace_back(at, std::nullopt);
    return [state, open](std::span<std::byte> buffer) -> std::size_t {
        for (;;) {
            if (!state->current) {
                if (state->next == state->left.size()) return 0;
                const auto& [begin, end] = state->left[state->next++];
                state->current = open(begin, end);
            }
            if (const std::size_t n = state->current(buffer)) return n;
            state->current = nullptr;
        }
    };
}

// What the spooling thread (the caller's) and the restoring threads share.
class shared_state {
public:
    std::mutex mutex;
    std::condition_variable changed;
    // A table's data block: restored while it is still arriving, so that a large table
    // late in the archive starts as soon as its first rows are in.
    struct block_progress {
        int dump_id = 0;
        std::uint64_t begin = 0;
        std::optional<std::uint64_t> end;  // once its last byte has been read
    };

    std::optional<archive_toc> toc;          // once read
    std::set<int> table_data_ids;            // TOC entries "TABLE DATA" with a block
    std::deque<block_progress> blocks;       // table data blocks begun, in archive order
    std::deque<block_progress*> waiting;     // of those, the ones no step has taken yet
    std::deque<archive_block_record> direct; // blocks not in the spool that no step has taken yet
    int data_steps = 0;                      // table data steps running
    std::vector<int> ready;                  // early post-data entries whose table's data is in
    std::set<int> built_early;               // early post-data entries restored
    std::uint64_t spooled_bytes = 0;         // in the file so far
    bool spooled = false;                    // the whole archive is in the file
    bool finished = false;              // the restoring threads are done
    std::exception_ptr failure;         // the first thing that went wrong

    bool stopping() const { return stop_.load(); }
    void fail(std::exception_ptr e) {
        {
            std::lock_guard lock(mutex);
            if (!failure) failure = std::move(e);
        }
        stop();
    }
    void stop() {
        stop_ = true;
        changed.notify_all();
    }

private:
    std::atomic<bool> stop_{false};
};

class restore_steps {
public:
    // `direct`: the table data blocks left out of the spool, read through `open_range`.
    restore_steps(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                  const spool_directory& spool, shared_state& state, const archive_range_opener& open_range,
                  std::vector<archive_block_record> direct)
        : tools_(tools), database_(database), selection_(selection), spool_(spool), state_(state),
          open_range_(open_range), direct_(std::move(direct)) {}

    // Table data blocks read on their own rather than spooled.
    std::uint64_t direct_count() const noexcept { return direct_.size(); }
    // Post-data entries built while other tables were still being copied.
    std::uint64_t early_count() {
        std::lock_guard lock(state_.mutex);
        return state_.built_early.size();
    }

    void run() {
        {
            std::unique_lock lock(state_.mutex);
            state_.changed.wait(lock, [&] { return state_.toc || state_.spooled || state_.stopping(); });
        }
        // An archive not understood with blocks left out of the spool has failed the restore
        // already (restore_in_parallel), so nothing here restores a spool that lacks them.
        if (state_.stopping()) return;
        if (!whole_archive(selection_) || !toc_known()) {
            wait_for_spool();
            if (state_.stopping()) return;
            finish(pg_restore_run(tools_, database_, selection_, spool_.archive_path()), {});
            return;
        }
        toc_bytes_.resize(state_.toc->end_offset);
        spool_.read_at(0, toc_bytes_);
        finish(pg_restore_step_run(tools_, database_, {{"pre-data"}, std::nullopt, 1, std::nullopt}), {});
        early_ = plan_early_post_data(*state_.toc);
        {
            std::lock_guard lock(state_.mutex);
            state_.direct.assign(direct_.begin(), direct_.end());
        }

        std::vector<std::thread> workers;
        for (int i = 0; i < selection_.jobs; ++i)
            workers.emplace_back([this] {
                try {
                    restore_arriving_tables();
                } catch (...) {
                    state_.fail(std::current_exception());
                }
            });
        for (auto& w : workers) w.join();
        wait_for_spool();
        if (state_.stopping()) return;

        // Step 2 ended without a failure after the spool did: it restored every table data
        // block that arrived. The rest is everything else.
        std::set<int> restored;
        for (const auto& b : state_.blocks) restored.insert(b.dump_id);
        for (const auto& b : direct_) restored.insert(b.dump_id);
        restored.insert(state_.built_early.begin(), state_.built_early.end());
        std::vector<int> rest;
        for (const auto& e : state_.toc->entries)
            if (!restored.contains(e.dump_id)) rest.push_back(e.dump_id);
        const auto list = spool_.write_list("rest.list", rest);
        finish(pg_restore_step_run(tools_, database_,
                                   {{"data", "post-data"}, list, selection_.jobs, spool_.archive_path()}),
               {});
    }

private:
    // Hands bytes to pg_restore; false once it stopped reading.
    using writer = std::function<bool(std::span<const std::byte>)>;

    bool toc_known() {
        std::lock_guard lock(state_.mutex);
        return state_.toc.has_value();
    }
    void wait_for_spool() {
        std::unique_lock lock(state_.mutex);
        state_.changed.wait(lock, [&] { return state_.spooled || state_.stopping(); });
    }

    // Step 2, on each of `jobs` threads: first the blocks read on their own, largest first;
    // then the spooled table data blocks as they arrive, a block still arriving alone,
    // complete ones in batches.
    void restore_arriving_tables() {
        while (const auto block = take_direct()) {
            const auto source = open_range_(block->offset, block->offset + block->length);
            restore_table_data({block->dump_id}, [&](const writer& write) {
                std::vector<std::byte> buffer(buffer_size);
                while (const std::size_t n = source(buffer))
                    if (!write(std::span<const std::byte>(buffer.data(), n))) return;
            });
        }
        for (;;) {
            const auto batch = take_batch();
            if (batch.empty()) return;
            std::vector<int> ids;
            for (const auto* b : batch) ids.push_back(b->dump_id);
            restore_table_data(ids, [&](const writer& write) { write_spooled(batch, write); });
        }
    }

    // One pg_restore of the table data entries `data_ids`, fed their blocks by `feed` after
    // the TOC, counted as running meanwhile. Once it succeeded, its tables' early post-data
    // entries are ready, and built now if other data is still being copied.
    void restore_table_data(const std::vector<int>& data_ids, const std::function<void(const writer&)>& feed) {
        const auto list = spool_.write_list("data-" + std::to_string(data_ids.front()) + ".list", data_ids);
        {
            struct counted {
                shared_state& state;
                explicit counted(shared_state& s) : state(s) {
                    std::lock_guard lock(state.mutex);
                    ++state.data_steps;
                }
                ~counted() {
                    std::lock_guard lock(state.mutex);
                    --state.data_steps;
                }
            } running(state_);
            finish(pg_restore_step_run(tools_, database_, {{"data"}, list, 1, std::nullopt}), feed);
            std::lock_guard lock(state_.mutex);
            for (int id : data_ids)
                if (const auto table = early_.table_of_data.find(id); table != early_.table_of_data.end())
                    if (const auto entries = early_.of_table.find(table->second); entries != early_.of_table.end())
                        state_.ready.insert(state_.ready.end(), entries->second.begin(), entries->second.end());
        }
        build_ready_post_data();
    }

    // The ready early post-data entries, in one pg_restore, while other tables are still
    // being copied; once no more data is coming they are left to the last step, which builds
    // them N at a time.
    void build_ready_post_data() {
        std::vector<int> ids;
        {
            std::lock_guard lock(state_.mutex);
            const bool more_data = state_.data_steps > 0 || !state_.direct.empty() || !state_.waiting.empty() ||
                                   !state_.spooled;
            if (state_.ready.empty() || !more_data || state_.stopping()) return;
            ids.swap(state_.ready);
        }
        const auto list = spool_.write_list("post-data-" + std::to_string(ids.front()) + ".list", ids);
        finish(pg_restore_step_run(tools_, database_, {{"post-data"}, list, 1, std::nullopt}), {});
        std::lock_guard lock(state_.mutex);
        state_.built_early.insert(ids.begin(), ids.end());
    }

    std::optional<archive_block_record> take_direct() {
        std::lock_guard lock(state_.mutex);
        if (state_.stopping() || state_.direct.empty()) return std::nullopt;
        auto block = state_.direct.front();
        state_.direct.pop_front();
        return block;
    }

    // Empty when nothing is left (the spool is complete) or the restore stops.
    std::vector<const shared_state::block_progress*> take_batch() {
        std::unique_lock lock(state_.mutex);
        state_.changed.wait(lock, [&] { return !state_.waiting.empty() || state_.spooled || state_.stopping(); });
        std::vector<const shared_state::block_progress*> batch;
        if (state_.stopping() || state_.waiting.empty()) return batch;
        if (!state_.waiting.front()->end) {
            batch.push_back(state_.waiting.front());
            state_.waiting.pop_front();
            return batch;
        }
        std::uint64_t bytes = 0;
        while (!state_.waiting.empty() && state_.waiting.front()->end && batch.size() < batch_entries) {
            const auto* next = state_.waiting.front();
            const std::uint64_t size = *next->end - next->begin;
            if (!batch.empty() && bytes + size > batch_bytes) break;
            bytes += size;
            batch.push_back(next);
            state_.waiting.pop_front();
        }
        return batch;
    }

    // The next stretch of `block` after `at` that is in the spool file: waits for it while
    // the block is still arriving. Empty at the block's end (or where the archive stopped).
    std::pair<std::uint64_t, std::uint64_t> next_stretch(const shared_state::block_progress& block, std::uint64_t at) {
        std::unique_lock lock(state_.mutex);
        state_.changed.wait(lock, [&] {
            return state_.stopping() || block.end || state_.spooled_bytes > at || state_.spooled;
        });
        if (state_.stopping()) throw error(HF_ERR_CANCELLED, "stopped");
        // Until its end is known, the spool may already hold the next block's first bytes
        // too; pg_restore stops reading at the end of the block and ignores them.
        const std::uint64_t limit = block.end ? *block.end : state_.spooled_bytes;
        return {at, std::max(at, limit)};
    }

    // The spooled `blocks`, each followed while it is still arriving.
    void write_spooled(const std::vector<const shared_state::block_progress*>& blocks, const writer& write) {
        std::vector<std::byte> buffer(buffer_size);
        for (const auto* b : blocks) {
            for (std::uint64_t at = b->begin;;) {
                const auto [from, to] = next_stretch(*b, at);
                if (from == to) break;
                for (at = from; at < to;) {
                    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), to - at));
                    spool_.read_at(at, std::span(buffer.data(), n));
                    if (!write(std::span<const std::byte>(buffer.data(), n))) return;
                    at += n;
                }
            }
        }
    }

    // Runs one pg_restore to its end. When it reads stdin: the TOC, then what `feed` writes
    // (the data blocks it restores).
    void finish(const program_run& run, const std::function<void(const writer&)>& feed) {
        const auto stopping = [this] { return state_.stopping(); };
        auto program = child::start(run);
        if (run.pipe_stdin) {
            bool open = program->write(toc_bytes_, stopping);
            const writer write = [&](std::span<const std::byte> bytes) {
                return open = open && program->write(bytes, stopping);
            };
            if (open && feed) feed(write);
            program->close_stdin();
        }
        while (!program->wait_for(poll_interval))
            if (state_.stopping()) throw error(HF_ERR_CANCELLED, "stopped");  // the child is killed on unwinding
        if (!program->wait()) throw error(HF_ERR_FAILED, program->failure());
    }

    const client_tools& tools_;
    const endpoint& database_;
    const restore_selection& selection_;
    const spool_directory& spool_;
    shared_state& state_;
    const archive_range_opener& open_range_;
    const std::vector<archive_block_record> direct_;
    early_post_data early_;  // set once the TOC has been read, before the workers start
    std::vector<std::byte> toc_bytes_;
};

}  // namespace

feed_result restore_in_parallel(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                                const archive_input& input, holdfast::plugin::host_services host) {
    spool_directory spool;
    auto direct = direct_blocks(input, selection);
    std::uint64_t direct_bytes = 0;
    for (const auto& b : direct) direct_bytes += b.length;
    host.info("pg_restore --jobs needs a seekable archive: spooling it to " + spool.archive_path() +
              (!direct.empty() ? ", except the " + std::to_string(direct.size()) +
                                     " largest tables' data, read from the backup on their own, largest first"
               : whole_archive(selection) ? " (tables are restored as they arrive)"
                                          : ""));
    const archive_reader read = direct.empty() ? input.read : around_blocks(input.open_range, direct);
    shared_state state;
    restore_steps steps(tools, database, selection, spool, state, input.open_range, std::move(direct));
    std::jthread restoring([&] {
        try {
            steps.run();
        } catch (...) {
            state.fail(std::current_exception());
        }
        std::lock_guard lock(state.mutex);
        state.finished = true;
        state.changed.notify_all();
    });
    // Leaving early (the host's read failed, or the user cancelled): stop every pg_restore
    // before `restoring` is joined and the spool removed.
    struct stop_on_unwind {
        shared_state& state;
        ~stop_on_unwind() {
            if (std::uncaught_exceptions() > 0) state.stop();
        }
    } guard{state};

    feed_result result;
    archive_scan_events events;
    events.toc = [&](const archive_toc& toc) {
        std::lock_guard lock(state.mutex);
        state.toc = toc;
        for (const auto& e : toc.entries)
            if (e.has_data && e.desc == "TABLE DATA") state.table_data_ids.insert(e.dump_id);
        state.changed.notify_all();
    };
    events.block_start = [&](const archive_block& block) {
        std::lock_guard lock(state.mutex);
        if (block.large_objects || !state.table_data_ids.contains(block.dump_id)) return;
        state.blocks.push_back({block.dump_id, block.begin, std::nullopt});
        state.waiting.push_back(&state.blocks.back());  // deque: references survive push_back
        state.changed.notify_all();
    };
    events.block = [&](const archive_block& block) {
        std::lock_guard lock(state.mutex);
        if (state.blocks.empty() || state.blocks.back().dump_id != block.dump_id || state.blocks.back().end) return;
        state.blocks.back().end = block.end;
        state.changed.notify_all();
    };
    const auto source = [&](std::span<std::byte> buffer) -> std::size_t {
        host.throw_if_cancelled();
        return state.stopping() ? 0 : read(buffer);  // a failed step ends the spool early
    };
    const auto sink = [&](std::span<const std::byte> bytes) {
        spool.append(bytes);
        result.bytes += bytes.size();
        std::lock_guard lock(state.mutex);
        state.spooled_bytes = result.bytes;
        state.changed.notify_all();
    };
    const std::string problem = scan_custom_archive(source, sink, events);
    if (!problem.empty() && !state.stopping() && direct_bytes != 0)
        state.fail(std::make_exception_ptr(
            error(HF_ERR_CORRUPT, "the archive's framing was not understood (" + problem +
                                      "), and the spool lacks the table data read on its own; restore without --jobs")));
    else if (!problem.empty() && !state.stopping())
        host.debug("postgresql: the archive's framing was not understood (" + problem +
                   "); it is restored once the spool is complete");
    {
        std::lock_guard lock(state.mutex);
        state.spooled = true;
        state.changed.notify_all();
    }
    result.spooled_bytes = result.bytes;

    for (;;) {
        std::unique_lock lock(state.mutex);
        if (state.changed.wait_for(lock, poll_interval, [&] { return state.finished; })) break;
        lock.unlock();
        if (host.cancelled()) state.fail(std::make_exception_ptr(error(HF_ERR_CANCELLED, "cancelled by the user")));
    }
    restoring.join();
    if (state.failure) std::rethrow_exception(state.failure);
    result.bytes += direct_bytes;
    result.tables_read_directly = steps.direct_count();
    result.built_beside_data = steps.early_count();
    return result;
}

}  // namespace holdfast::engines::postgresql
