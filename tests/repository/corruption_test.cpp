// Damage on disk is detected and reported naming the object; wrong bytes are never returned.
#include "repository_fixture.hpp"

#include "repository/blob_store.hpp"
#include "repository/errors.hpp"
#include "repository/index_file.hpp"
#include "repository/object_names.hpp"
#include "repository/orphan_recovery.hpp"
#include "repository/pack_reader.hpp"
#include "repository/snapshots.hpp"
#include "sample_data.hpp"

#include <algorithm>
#include <fstream>
#include <map>

namespace holdfast::repository::testing {
namespace {

std::vector<char> read_file(const std::filesystem::path& path) {
    std::vector<char> bytes(std::filesystem::file_size(path));
    std::ifstream(path, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

void write_file(const std::filesystem::path& path, const std::vector<char>& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class corruption_test : public repository_test {
protected:
    // Stores blobs of mixed sizes and kinds; returns them by id.
    std::map<object_id, std::vector<std::byte>> store_blobs(repo& r, int count) {
        std::map<object_id, std::vector<std::byte>> blobs;
        blob_store store(r);
        for (int i = 0; i < count; ++i) {
            const auto seed = static_cast<std::uint64_t>(i);
            const std::size_t size = 1 + test_data::prng(seed).below(3000);
            auto data = i % 2 ? test_data::text_stream(size, seed) : test_data::random_stream(size, seed);
            blobs.emplace(store.add(blob_type::data, data).id, std::move(data));
        }
        store.flush();
        return blobs;
    }

    // Reads every blob of `pack`: each one must come back right or fail naming the pack.
    // Returns the ids that failed.
    std::set<object_id> read_pack_blobs(repo& r, const object_id& pack,
                                        const std::map<object_id, std::vector<std::byte>>& blobs) {
        std::set<object_id> failed;
        for (const auto& [id, data] : blobs) {
            const auto where = r.index().find(id);
            if (!where || where->pack != pack) continue;
            try {
                EXPECT_EQ(r.read_blob(id), data) << "wrong bytes for blob " << id.hex();
            } catch (const corruption_error& e) {
                EXPECT_TRUE(contains(e.what(), pack.hex())) << e.what();
                EXPECT_TRUE(contains(e.what(), id.hex())) << e.what();
                failed.insert(id);
            }
        }
        return failed;
    }

    // `strict`: every flip inside a blob must be detected. Without AEAD (unencrypted) a flip
    // in a bit zstd ignores can decode to the right bytes, which is fine: the check is then
    // only that no wrong bytes ever come back.
    void check_bit_flips(repo& r, const std::map<object_id, std::vector<std::byte>>& blobs,
                         bool strict) {
        r.load_index();
        const object_id pack = r.index().packs().front();
        const auto path = file_of(names::pack(pack));
        const auto original = read_file(path);
        const auto in_pack = static_cast<std::size_t>(std::count_if(
            blobs.begin(), blobs.end(), [&](const auto& b) { return r.index().find(b.first)->pack == pack; }));
        ASSERT_GT(in_pack, 5u);
        test_data::prng rng(99);
        for (int round = 0; round < 50; ++round) {
            const std::size_t position = rng.below(original.size());
            auto damaged = original;
            damaged[position] = static_cast<char>(damaged[position] ^ (1 << rng.below(8)));
            write_file(path, damaged);

            const auto failed = read_pack_blobs(r, pack, blobs);
            // The blob whose bytes hold the flipped bit must be among the failures.
            for (const auto& [id, data] : blobs) {
                const auto where = r.index().find(id);
                if (where->pack != pack) continue;
                const auto& rec = where->record;
                if (position >= rec.offset && position < std::size_t{rec.offset} + rec.stored_length) {
                    if (strict || rec.compression == blob_encoding::raw) {
                        EXPECT_TRUE(failed.contains(id)) << "flip at " << position << " not detected";
                    }
                } else {
                    EXPECT_FALSE(failed.contains(id)) << "blob " << id.hex() << " failed needlessly";
                }
            }
            // The header is sealed on its own: a flip there (or in the trailer) makes it
            // unreadable, a flip in the blobs leaves it intact.
            std::size_t data_end = 0;
            for (const auto& [id, data] : blobs)
                if (const auto where = r.index().find(id); where->pack == pack)
                    data_end = std::max<std::size_t>(data_end, where->record.offset +
                                                                   std::size_t{where->record.stored_length});
            auto codec = r.codecs().borrow();
            if (position >= data_end) {
                EXPECT_THROW(read_pack_header(r.storage(), codec->objects(), pack, original.size()),
                             corruption_error);
            } else {
                EXPECT_EQ(read_pack_header(r.storage(), codec->objects(), pack, original.size()).size(),
                          in_pack);
            }
        }
        write_file(path, original);
        EXPECT_TRUE(read_pack_blobs(r, pack, blobs).empty());
    }
};

TEST_F(corruption_test, FlippedBitsInAPackAreCaughtByAuthentication) {
    repo r = init();
    const auto blobs = store_blobs(r, 60);
    check_bit_flips(r, blobs, true);
}

TEST_F(corruption_test, FlippedBitsInAnUnencryptedPackAreCaughtByTheId) {
    repo r = init("", fast_options(encryption_mode::none));
    const auto blobs = store_blobs(r, 60);
    check_bit_flips(r, blobs, false);
}

TEST_F(corruption_test, DamagedPackHeaderIsNamed) {
    for (const auto mode : {encryption_mode::aes_256_gcm, encryption_mode::none}) {
        TearDown();
        SetUp();
        repo r = init("pw", fast_options(mode));
        store_blobs(r, 5);
        r.load_index();
        const object_id pack = r.index().packs().front();
        const auto path = file_of(names::pack(pack));
        auto bytes = read_file(path);
        bytes[bytes.size() - pack_trailer_size - 3] ^= 1;  // inside the sealed header
        write_file(path, bytes);
        try {
            read_pack_header(r.storage(), r.codecs().borrow()->objects(), pack, bytes.size());
            FAIL() << "damaged header accepted";
        } catch (const corruption_error& e) {
            EXPECT_TRUE(contains(e.what(), "pack " + names::pack(pack) + " is corrupt")) << e.what();
        }
    }
}

TEST_F(corruption_test, TruncatedPackIsNamed) {
    repo r = init();
    const auto blobs = store_blobs(r, 10);
    r.load_index();
    const object_id pack = r.index().packs().front();
    const auto path = file_of(names::pack(pack));
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size / 2);
    // Blobs beyond the cut fail naming the pack (never short data).
    std::size_t failures = 0;
    for (const auto& [id, data] : blobs) {
        try {
            EXPECT_EQ(r.read_blob(id), data);
        } catch (const corruption_error& e) {
            EXPECT_TRUE(contains(e.what(), pack.hex())) << e.what();
            ++failures;
        }
    }
    EXPECT_GT(failures, 0u);
    // Its header is gone too: recovery reports it instead of trusting it.
    try {
        read_pack_header(r.storage(), r.codecs().borrow()->objects(), pack, size / 2);
        FAIL();
    } catch (const corruption_error& e) {
        EXPECT_TRUE(contains(e.what(), names::pack(pack))) << e.what();
    }
    // A pack that has vanished entirely is a corruption too.
    std::filesystem::remove(path);
    EXPECT_THROW(r.read_blob(blobs.begin()->first), corruption_error);
}

TEST_F(corruption_test, TruncatedIndexIsNamed) {
    repo r = init();
    store_blobs(r, 5);
    const auto index = *objects("index/").begin();
    const auto path = file_of(index);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 1);
    try {
        r.load_index();
        FAIL();
    } catch (const corruption_error& e) {
        EXPECT_TRUE(contains(e.what(), index + " is corrupt")) << e.what();
    }
}

TEST_F(corruption_test, IndexWithAFlippedBitDoesNotAuthenticate) {
    repo r = init();
    store_blobs(r, 5);
    const auto index = *objects("index/").begin();
    auto bytes = read_file(file_of(index));
    bytes[20] ^= 4;
    // Stored under the name of its new content: only authentication can catch it.
    const auto span = std::as_bytes(std::span(bytes));
    const object_id renamed = object_id::of_content(span);
    r.storage().put(names::index(renamed), span);
    std::filesystem::remove(file_of(index));
    try {
        r.load_index();
        FAIL();
    } catch (const corruption_error& e) {
        EXPECT_TRUE(contains(e.what(), names::index(renamed))) << e.what();
        EXPECT_TRUE(contains(e.what(), "does not authenticate")) << e.what();
    }
}

TEST_F(corruption_test, TruncatedSnapshotIsNamed) {
    repo r = init();
    snapshot snap;
    snap.time = utc_now();
    snap.source = "app";
    snap.engine = "sqlite";
    const object_id id = save_snapshot(r, snap);
    const auto path = file_of(names::snapshot(id));
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 5);
    try {
        load_snapshot(r, id);
        FAIL();
    } catch (const corruption_error& e) {
        EXPECT_TRUE(contains(e.what(), "snapshots/" + id.hex() + " is corrupt")) << e.what();
    }
    EXPECT_THROW(list_snapshots(r), corruption_error);
}

}  // namespace
}  // namespace holdfast::repository::testing
