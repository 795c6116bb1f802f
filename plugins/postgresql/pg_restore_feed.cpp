#include "pg_restore_feed.hpp"

#include "parallel_restore.hpp"

#include <vector>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;

namespace {
constexpr std::size_t buffer_size = 1 << 20;
}

feed_result feed_pg_restore(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                            const archive_input& input, holdfast::plugin::host_services host) {
    if (selection.jobs > 1) return restore_in_parallel(tools, database, selection, input, host);
    std::vector<std::byte> buffer(buffer_size);
    const auto cancelled = [&host] { return host.cancelled(); };
    feed_result result;
    auto program = child::start(pg_restore_run(tools, database, selection, std::nullopt));
    while (std::size_t n = input.read(buffer)) {
        if (!program->write(std::span<const std::byte>(buffer.data(), n), cancelled)) break;  // it stopped early
        result.bytes += n;
    }
    if (!program->wait()) throw error(HF_ERR_FAILED, program->failure());
    return result;
}

}  // namespace holdfast::engines::postgresql
