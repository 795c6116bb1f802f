// A repository created with --encryption none: no keys, SHA-256 ids, integrity still checked.
#include "repository_fixture.hpp"

#include "repository/blob_store.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/snapshots.hpp"
#include "sample_data.hpp"

#include <fstream>

namespace holdfast::repository::testing {
namespace {

using unencrypted_test = repository_test;

TEST_F(unencrypted_test, RoundTripAndIntegrity) {
    const auto text = test_data::text_stream(10000, 11);
    const auto noise = test_data::random_stream(5000, 11);
    object_id text_id, noise_id, snap_id;
    {
        repo r = init("", fast_options(encryption_mode::none));
        blob_store store(r);
        text_id = store.add(blob_type::data, text).id;
        noise_id = store.add(blob_type::data, noise).id;
        store.flush();
        snapshot snap;
        snap.time = utc_now();
        snap.source = "app";
        snap.engine = "exec";
        snap_id = save_snapshot(r, snap);
    }
    EXPECT_EQ(text_id, object_id::of_content(text));  // plain SHA-256
    repo r = open("");
    r.load_index();
    EXPECT_EQ(r.read_blob(text_id), text);
    EXPECT_EQ(r.read_blob(noise_id), noise);
    EXPECT_EQ(load_snapshot(r, snap_id).source, "app");
    // Stored without AEAD: the raw blob is there in the clear.
    EXPECT_EQ(r.index().find(noise_id)->record.stored_length, noise.size());

    // One flipped bit in the raw blob is caught by the id check.
    const auto where = r.index().find(noise_id);
    const auto path = file_of(names::pack(where->pack));
    {
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekg(where->record.offset + 100);
        char c = 0;
        file.get(c);
        file.seekp(where->record.offset + 100);
        file.put(static_cast<char>(c ^ 0x10));
    }
    try {
        r.read_blob(noise_id);
        FAIL() << "flipped bit not detected";
    } catch (const corruption_error& e) {
        EXPECT_NE(std::string(e.what()).find(where->pack.hex()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("does not match its id"), std::string::npos) << e.what();
    }
    EXPECT_EQ(r.read_blob(text_id), text);
}

}  // namespace
}  // namespace holdfast::repository::testing
