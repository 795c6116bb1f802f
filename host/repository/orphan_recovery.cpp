#include "repository/orphan_recovery.hpp"

#include "repository/errors.hpp"
#include "repository/index_file.hpp"
#include "repository/object_names.hpp"
#include "repository/pack_reader.hpp"

#include <spdlog/spdlog.h>

namespace holdfast::repository {

orphan_recovery_result recover_orphan_packs(repo& target, bool persist) {
    client::storage_instance& storage = target.storage();
    struct orphan {
        object_id id;
        std::uint64_t size;
    };
    std::vector<orphan> orphans;
    storage.list(std::string(names::data_prefix), [&](const client::object_info& info) {
        const auto id = names::pack_id(info.key);
        if (id && !target.index().has_pack(*id)) orphans.push_back({*id, info.size});
    });

    orphan_recovery_result result;
    if (orphans.empty()) return result;
    auto codec = target.codecs().borrow();
    std::vector<indexed_pack> recovered;
    for (const orphan& pack : orphans) {
        try {
            auto records = read_pack_header(storage, codec->objects(), pack.id, pack.size);
            result.blobs += target.index().add_pack(pack.id, records);
            recovered.push_back({pack.id, std::move(records)});
        } catch (const corruption_error& e) {
            spdlog::warn("{} (not reused)", e.what());
            result.damaged.push_back(pack.id);
        }
    }
    result.packs = recovered.size();
    if (!recovered.empty()) {
        spdlog::info("recovered {} pack(s) with {} blob(s) that no index mentioned", result.packs,
                     result.blobs);
        if (persist)
            result.index = write_index(storage, codec->objects(), recovered);
    }
    return result;
}

}  // namespace holdfast::repository
