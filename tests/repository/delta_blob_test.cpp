// Delta blobs: the codec's zstd_delta layout (bases named in the stored bytes, the frame
// compressed against their plaintexts), the blob store choosing bases, reading them back
// through a repository, and the sketches that find similar chunks.
#include "repository_fixture.hpp"

#include "repository/blob_codec.hpp"
#include "repository/blob_store.hpp"
#include "repository/chunker.hpp"
#include "repository/delta_sketch.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "sample_data.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <map>
#include <string>

namespace holdfast::repository::testing {
namespace {

using bytes = std::vector<std::byte>;

using test_data::joined;
using test_data::table_rows;

// Every `every`-th row (from `first`) with its quantity field changed, as an UPDATE would.
std::vector<std::string> updated(std::vector<std::string> rows, std::size_t every, std::uint64_t seed,
                                 std::size_t first = 0) {
    test_data::update_quantities(rows, first, rows.size(), every, seed);
    return rows;
}

// Every `every`-th row replaced by an unrelated one.
std::vector<std::string> rewritten(std::vector<std::string> rows, std::size_t every, std::uint64_t seed) {
    const auto fresh = table_rows(rows.size() / every + 1, seed);
    for (std::size_t i = 0, k = 0; i < rows.size(); i += every) rows[i] = fresh[k++];
    return rows;
}

// A record as the index would hold it for a blob encoded by `codec`.
blob_record record_of(const object_id& id, const encoded_blob_bytes& encoded, std::size_t plain_size) {
    blob_record record;
    record.type = blob_type::data;
    record.compression = encoded.compression;
    record.offset = 0;
    record.stored_length = static_cast<std::uint32_t>(encoded.stored.size());
    record.plain_length = static_cast<std::uint32_t>(plain_size);
    record.id = id;
    return record;
}

const object_id some_pack = object_id::of_content(bytes_of("a pack"));

// A table of 1,500 rows as the base, and the same with every 5th row updated stored as a
// delta of it, however large.
struct one_base_delta {
    bytes base;
    bytes plain;
    object_id base_id;
    object_id id;
    encoded_blob_bytes delta;

    one_base_delta(blob_codec& codec, std::uint64_t seed) {
        const auto rows = table_rows(1500, seed);
        base = joined(rows);
        plain = joined(updated(rows, 5, seed + 1));
        base_id = codec.id_of(base);
        id = codec.id_of(plain);
        auto encoded = codec.encode_delta(id, plain, std::vector<delta_base>{{base_id, base}},
                                          std::numeric_limits<std::size_t>::max());
        if (!encoded) throw std::logic_error("a delta without a limit was refused");
        delta = std::move(*encoded);
    }
};

// ---- blob_codec ----------------------------------------------------------------------------

class delta_codec_test : public ::testing::TestWithParam<bool> {
protected:
    delta_codec_test() : key_(master_key::generate()), codec_(GetParam() ? &key_ : nullptr, 3) {}

    master_key key_;
    blob_codec codec_;
};

// Two tables; the new blob is half of each, with every 7th row of its first half updated.
struct two_bases {
    bytes first = joined(table_rows(1200, 1));
    bytes second = joined(table_rows(1200, 2));
    bytes plain;

    two_bases() {
        auto a = table_rows(1200, 1);
        auto b = table_rows(1200, 2);
        std::vector<std::string> rows(a.begin() + 300, a.begin() + 900);
        rows = updated(rows, 7, 99);
        rows.insert(rows.end(), b.begin() + 200, b.begin() + 800);
        plain = joined(rows);
    }
};

TEST_P(delta_codec_test, ADeltaOfTwoBasesDecodesToTheExactBytesAndIsMuchSmaller) {
    const two_bases data;
    const object_id first_id = codec_.id_of(data.first);
    const object_id second_id = codec_.id_of(data.second);
    const object_id id = codec_.id_of(data.plain);
    const encoded_blob_bytes whole = codec_.encode(id, data.plain);
    ASSERT_EQ(whole.compression, blob_encoding::zstd);

    const std::vector<delta_base> bases{{first_id, data.first}, {second_id, data.second}};
    const auto delta = codec_.encode_delta(id, data.plain, bases, std::numeric_limits<std::size_t>::max());
    ASSERT_TRUE(delta);
    EXPECT_EQ(delta->compression, blob_encoding::zstd_delta);
    // Only the updated quantities are new: a fraction of what the blob takes compressed alone.
    EXPECT_LT(delta->stored.size(), whole.stored.size() / 5)
        << "delta " << delta->stored.size() << " bytes, whole " << whole.stored.size();
    if (!GetParam()) {
        // Unencrypted: the layout is there in the clear.
        ASSERT_GT(delta->stored.size(), 1u + 64u);
        EXPECT_EQ(delta->stored[0], std::byte{2});
        EXPECT_TRUE(std::equal(first_id.bytes().begin(), first_id.bytes().end(), delta->stored.begin() + 1));
        EXPECT_TRUE(std::equal(second_id.bytes().begin(), second_id.bytes().end(), delta->stored.begin() + 33));
    }

    const blob_record record = record_of(id, *delta, data.plain.size());
    std::vector<object_id> asked;
    const base_reader reader = [&](const object_id& base) {
        asked.push_back(base);
        if (base == first_id) return data.first;
        if (base == second_id) return data.second;
        throw corruption_error("unknown base " + base.hex());
    };
    EXPECT_EQ(codec_.decode(some_pack, record, delta->stored, reader), data.plain);
    EXPECT_EQ(asked, (std::vector<object_id>{first_id, second_id}));
    EXPECT_EQ(codec_.delta_bases(some_pack, record, delta->stored), (std::vector<object_id>{first_id, second_id}));
    // Not a delta: no bases, and no base reader needed.
    const blob_record plain_record = record_of(id, whole, data.plain.size());
    EXPECT_TRUE(codec_.delta_bases(some_pack, plain_record, whole.stored).empty());
    EXPECT_EQ(codec_.decode(some_pack, plain_record, whole.stored, {}), data.plain);
}

TEST_P(delta_codec_test, ADeltaOfOneBaseRoundTripsAndPlainFramesStayAsTheLevelMakesThem) {
    const auto rows = table_rows(2000, 3);
    const bytes base = joined(rows);
    const bytes plain = joined(updated(rows, 5, 4));
    const object_id base_id = codec_.id_of(base);
    const object_id id = codec_.id_of(plain);
    const encoded_blob_bytes before = codec_.encode(id, plain);

    const std::vector<delta_base> bases{{base_id, base}};
    const auto delta = codec_.encode_delta(id, plain, bases, before.stored.size());
    ASSERT_TRUE(delta);
    EXPECT_LT(delta->stored.size(), before.stored.size() / 4);
    const blob_record record = record_of(id, *delta, plain.size());
    const base_reader reader = [&](const object_id& b) {
        EXPECT_EQ(b, base_id);
        return base;
    };
    EXPECT_EQ(codec_.decode(some_pack, record, delta->stored, reader), plain);
    EXPECT_EQ(codec_.delta_bases(some_pack, record, delta->stored), std::vector<object_id>{base_id});

    // The prefix and the delta's window settings do not stick to the contexts.
    const encoded_blob_bytes after = codec_.encode(id, plain);
    EXPECT_EQ(after.compression, before.compression);
    EXPECT_EQ(after.stored.size(), before.stored.size());
    if (!GetParam()) {
        EXPECT_EQ(after.stored, before.stored);
    }
    EXPECT_EQ(codec_.decode(some_pack, record_of(id, after, plain.size()), after.stored, {}), plain);
    // And the same delta again: deterministic.
    const auto again = codec_.encode_delta(id, plain, bases, before.stored.size());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->stored.size(), delta->stored.size());
}

TEST_P(delta_codec_test, EncodeDeltaGivesUpWhenItWouldNotBeatTheWholeBlob) {
    const auto rows = table_rows(1500, 5);
    const bytes base = joined(rows);
    const bytes plain = joined(updated(rows, 5, 6));
    const object_id id = codec_.id_of(plain);
    const std::vector<delta_base> bases{{codec_.id_of(base), base}};

    const auto unlimited = codec_.encode_delta(id, plain, bases, std::numeric_limits<std::size_t>::max());
    ASSERT_TRUE(unlimited);
    const std::size_t size = unlimited->stored.size();
    // Strictly smaller than `beat`, or nothing.
    EXPECT_FALSE(codec_.encode_delta(id, plain, bases, size));
    EXPECT_FALSE(codec_.encode_delta(id, plain, bases, size / 2));
    EXPECT_FALSE(codec_.encode_delta(id, plain, bases, 1));
    const auto just = codec_.encode_delta(id, plain, bases, size + 1);
    ASSERT_TRUE(just);
    EXPECT_EQ(just->stored.size(), size);
    EXPECT_EQ(codec_.decode(some_pack, record_of(id, *just, plain.size()), just->stored,
                            [&](const object_id&) { return base; }),
              plain);

    // Unrelated bases do not help incompressible data: nothing beats storing it whole.
    const bytes noise = test_data::random_stream(50'000, 7);
    const object_id noise_id = codec_.id_of(noise);
    const encoded_blob_bytes whole = codec_.encode(noise_id, noise);
    EXPECT_EQ(whole.compression, blob_encoding::raw);
    EXPECT_FALSE(codec_.encode_delta(noise_id, noise, bases, whole.stored.size()));

    // Bases are 1 to max_delta_bases.
    EXPECT_THROW(codec_.encode_delta(id, plain, {}, size + 1), std::invalid_argument);
    const std::vector<delta_base> too_many(max_delta_bases + 1, bases[0]);
    EXPECT_THROW(codec_.encode_delta(id, plain, too_many, size + 1), std::invalid_argument);
}

TEST_P(delta_codec_test, ADeltaNeverDecodesWithoutItsOwnBases) {
    const two_bases data;
    const object_id first_id = codec_.id_of(data.first);
    const object_id second_id = codec_.id_of(data.second);
    const object_id id = codec_.id_of(data.plain);
    const std::vector<delta_base> bases{{first_id, data.first}, {second_id, data.second}};
    const auto delta = codec_.encode_delta(id, data.plain, bases, std::numeric_limits<std::size_t>::max());
    ASSERT_TRUE(delta);
    const blob_record record = record_of(id, *delta, data.plain.size());

    // No base reader: a delta cannot be read as a base.
    EXPECT_THROW(codec_.decode(some_pack, record, delta->stored, {}), corruption_error);

    // The wrong bases: swapped, one of them the other, one changed in a single byte, a
    // shortened one, an unrelated table. Each must fail, never yield other bytes.
    bytes flipped = data.first;
    flipped[flipped.size() / 2] ^= std::byte{0x01};
    const bytes shorter(data.first.begin(), data.first.begin() + static_cast<std::ptrdiff_t>(data.first.size() / 2));
    const bytes unrelated = joined(table_rows(1200, 77));
    const std::vector<std::pair<std::string, std::function<bytes(const object_id&)>>> wrong{
        {"swapped", [&](const object_id& b) { return b == first_id ? data.second : data.first; }},
        {"second twice", [&](const object_id&) { return data.second; }},
        {"one byte flipped", [&](const object_id& b) { return b == first_id ? flipped : data.second; }},
        {"truncated", [&](const object_id& b) { return b == first_id ? shorter : data.second; }},
        {"unrelated", [&](const object_id& b) { return b == first_id ? unrelated : data.second; }},
        {"empty", [&](const object_id&) { return bytes{}; }},
    };
    for (const auto& [what, reader] : wrong) {
        SCOPED_TRACE(what);
        try {
            const bytes out = codec_.decode(some_pack, record, delta->stored, reader);
            ADD_FAILURE() << "decoded " << out.size() << " bytes with the wrong bases";
        } catch (const corruption_error& e) {
            EXPECT_NE(std::string(e.what()).find(id.hex()), std::string::npos) << e.what();
        }
    }
    // A reader that fails passes its error on.
    EXPECT_THROW(codec_.decode(some_pack, record, delta->stored,
                               [](const object_id& b) -> bytes { throw repository_error("no base " + b.hex()); }),
                 repository_error);

    // Failures leave the codec usable: the right bases still work, and so do plain frames.
    EXPECT_EQ(codec_.decode(some_pack, record, delta->stored,
                            [&](const object_id& b) { return b == first_id ? data.first : data.second; }),
              data.plain);
    const encoded_blob_bytes whole = codec_.encode(id, data.plain);
    EXPECT_EQ(codec_.decode(some_pack, record_of(id, whole, data.plain.size()), whole.stored, {}), data.plain);
}

TEST_P(delta_codec_test, ARecordClaimingTheWrongEncodingIsRefused) {
    const one_base_delta data(codec_, 8);
    const auto& [base, plain, base_id, id, delta] = data;
    const base_reader reader = [&](const object_id&) { return base; };
    // The delta's bytes read as a plain zstd blob, or a raw one.
    for (const blob_encoding claimed : {blob_encoding::zstd, blob_encoding::raw}) {
        blob_record record = record_of(id, delta, plain.size());
        record.compression = claimed;
        EXPECT_THROW(codec_.decode(some_pack, record, delta.stored, reader), corruption_error);
    }
    // A whole blob claimed to be a delta.
    const encoded_blob_bytes whole = codec_.encode(id, plain);
    blob_record record = record_of(id, whole, plain.size());
    record.compression = blob_encoding::zstd_delta;
    EXPECT_THROW(codec_.decode(some_pack, record, whole.stored, reader), corruption_error);
}

INSTANTIATE_TEST_SUITE_P(EncryptedAndNot, delta_codec_test, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                             return p.param ? "encrypted" : "unencrypted";
                         });

TEST(delta_codec_layout_test, AnAlteredBaseCountIsRefusedAsCorrupt) {
    blob_codec codec(nullptr, 3);  // no AEAD: the stored bytes are the layout itself
    const one_base_delta data(codec, 10);
    const auto& [base, plain, base_id, id, delta] = data;
    ASSERT_EQ(delta.stored[0], std::byte{1});
    const blob_record record = record_of(id, delta, plain.size());
    // The reader hands out the base for its id and plausible bytes for anything else, as a
    // repository might for another blob it holds.
    const bytes other = joined(table_rows(1500, 12));
    const base_reader reader = [&](const object_id& b) { return b == base_id ? base : other; };
    ASSERT_EQ(codec.decode(some_pack, record, delta.stored, reader), plain);

    for (const int count : {0, 2, 3, 8, 9, 255}) {
        SCOPED_TRACE(count);
        bytes altered = delta.stored;
        altered[0] = static_cast<std::byte>(count);
        EXPECT_THROW(codec.decode(some_pack, record, altered, reader), corruption_error);
        if (count == 0 || count > static_cast<int>(max_delta_bases)) {
            // Malformed: refused before anything is read.
            EXPECT_THROW(codec.delta_bases(some_pack, record, altered), corruption_error);
        } else {
            // Parsed, but the extra "bases" are bytes of the frame.
            const auto named = codec.delta_bases(some_pack, record, altered);
            EXPECT_EQ(named.size(), static_cast<std::size_t>(count));
            EXPECT_EQ(named[0], base_id);
        }
    }
    // Truncated to less than its list of bases.
    blob_record short_record = record;
    short_record.stored_length = 20;
    EXPECT_THROW(codec.decode(some_pack, short_record, std::span(delta.stored).first(20), reader), corruption_error);
    EXPECT_THROW(codec.delta_bases(some_pack, short_record, std::span(delta.stored).first(20)), corruption_error);
    // A base id altered: the reader is asked for a blob that is not the base.
    bytes altered = delta.stored;
    altered[5] ^= std::byte{0x10};
    EXPECT_THROW(codec.decode(some_pack, record, altered, reader), corruption_error);
    // A byte of the frame altered.
    altered = delta.stored;
    altered[altered.size() / 2] ^= std::byte{0x10};
    EXPECT_THROW(codec.decode(some_pack, record, altered, reader), corruption_error);
}

TEST(delta_codec_layout_test, AnEncryptedDeltaIsAuthenticatedBeforeItsBasesAreRead) {
    const master_key key = master_key::generate();
    blob_codec codec(&key, 3);
    const one_base_delta data(codec, 13);
    const auto& [base, plain, base_id, id, delta] = data;
    const blob_record record = record_of(id, delta, plain.size());
    bool asked = false;
    const base_reader reader = [&](const object_id&) {
        asked = true;
        return base;
    };
    for (const std::size_t at : {std::size_t{0}, std::size_t{12}, std::size_t{13}, delta.stored.size() - 1}) {
        bytes altered = delta.stored;
        altered[at] ^= std::byte{0x01};
        EXPECT_THROW(codec.decode(some_pack, record, altered, reader), corruption_error);
        EXPECT_THROW(codec.delta_bases(some_pack, record, altered), corruption_error);
    }
    EXPECT_FALSE(asked);
}

// ---- sketches ------------------------------------------------------------------------------

std::size_t shared_keys(const chunk_sketch& a, const chunk_sketch& b) {
    std::size_t n = 0;
    for (const auto key : a.keys)
        if (key != chunk_sketch::no_key && std::find(b.keys.begin(), b.keys.end(), key) != b.keys.end()) ++n;
    return n;
}

TEST(delta_sketch_test, SimilarChunksShareKeysAndUnrelatedOnesDoNot) {
    const gear_table gear = make_gear_table(default_gear_seed);
    // About 256 KiB each.
    const auto rows = table_rows(4800, 20);
    const bytes original = joined(rows);
    ASSERT_GT(original.size(), 250'000u);
    const bytes every_fifth = joined(rewritten(rows, 5, 21));
    const bytes few_updates = joined(updated(rows, 50, 22));
    const bytes unrelated = joined(table_rows(4800, 23));

    const chunk_sketch s = sketch_of(original, gear);
    for (const auto key : s.keys) EXPECT_NE(key, chunk_sketch::no_key);
    EXPECT_TRUE(std::is_sorted(s.keys.begin(), s.keys.end()));
    EXPECT_EQ(std::adjacent_find(s.keys.begin(), s.keys.end()), s.keys.end()) << "keys repeat";

    EXPECT_EQ(sketch_of(original, gear), s);  // a function of the bytes
    EXPECT_GE(shared_keys(s, sketch_of(every_fifth, gear)), 1u);
    EXPECT_GE(shared_keys(s, sketch_of(few_updates, gear)), 3u);
    EXPECT_EQ(shared_keys(s, sketch_of(unrelated, gear)), 0u);
    // Another gear table (another repository's seed) gives other keys.
    EXPECT_EQ(shared_keys(s, sketch_of(original, make_gear_table(12345))), 0u);
    // A prefix of the chunk shares its anchors: its smallest keys are among them or larger.
    const bytes half(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(original.size() / 2));
    const chunk_sketch h = sketch_of(half, gear);
    EXPECT_GE(h.keys[0], s.keys[0]);
    for (const auto key : h.keys)
        if (key < s.keys.back()) {
            EXPECT_NE(std::find(s.keys.begin(), s.keys.end(), key), s.keys.end()) << key;
        }
}

TEST(delta_sketch_test, ShortChunksHaveNoKeys) {
    const gear_table gear = make_gear_table(default_gear_seed);
    const chunk_sketch none;
    EXPECT_EQ(sketch_of({}, gear), none);
    const bytes text = joined(table_rows(100, 30));
    // Anchors need a full 64-byte window of the chunk.
    for (const std::size_t size : {std::size_t{1}, std::size_t{32}, std::size_t{62}, std::size_t{63}}) {
        const chunk_sketch s = sketch_of(std::span(text).first(size), gear);
        for (const auto key : s.keys) EXPECT_EQ(key, chunk_sketch::no_key) << size << " bytes";
    }
    // Even an all-zero stretch (a hash that never changes) gives at most one key.
    const bytes zeros(100'000, std::byte{0});
    const chunk_sketch z = sketch_of(zeros, gear);
    EXPECT_EQ(z.keys[1], chunk_sketch::no_key);
    // A few KiB have a key or a few, padded with no_key.
    const chunk_sketch small = sketch_of(std::span(text).first(3000), gear);
    EXPECT_TRUE(std::is_sorted(small.keys.begin(), small.keys.end()));
}

// ---- through a repository ------------------------------------------------------------------

using delta_store_test = repository_test;

TEST_F(delta_store_test, ASimilarBlobIsStoredAsADeltaAndReadsBackExactly) {
    const auto rows = table_rows(2500, 40);
    const bytes base = joined(rows);
    const bytes similar = joined(updated(rows, 5, 41));
    const bytes still_similar = joined(updated(updated(rows, 5, 41), 3, 42, 1));
    object_id base_id, delta_id, second_id;
    {
        repo r = init();
        blob_store store(r);
        base_id = store.add(blob_type::data, base).id;
        store.flush();
        ASSERT_EQ(r.index().find(base_id)->record.compression, blob_encoding::zstd);

        int asked = 0;
        const auto added = store.add(blob_type::data, similar, [&] {
            ++asked;
            return std::vector<object_id>{base_id};
        });
        EXPECT_TRUE(added.stored);
        delta_id = added.id;
        // Known blobs are not looked up again.
        EXPECT_FALSE(store.add(blob_type::data, similar, [&] {
                             ++asked;
                             return std::vector<object_id>{base_id};
                         }).stored);
        EXPECT_EQ(asked, 1);
        store.flush();
        const auto stats = store.stats();
        EXPECT_EQ(stats.blobs_new, 2u);
        EXPECT_EQ(stats.blobs_delta, 1u);
        const auto location = r.index().find(delta_id);
        ASSERT_TRUE(location);
        EXPECT_EQ(location->record.compression, blob_encoding::zstd_delta);
        EXPECT_EQ(location->record.plain_length, similar.size());
        EXPECT_LT(location->record.stored_length, r.index().find(base_id)->record.stored_length / 4);
        EXPECT_EQ(r.read_blob(delta_id), similar);
        EXPECT_EQ(r.read_blob(delta_id, blob_type::data), similar);
        EXPECT_EQ(r.delta_bases(delta_id), std::vector<object_id>{base_id});
        EXPECT_TRUE(r.delta_bases(base_id).empty());

        // A candidate that is a delta stands aside for its own base.
        second_id = store.add(blob_type::data, still_similar, [&] { return std::vector<object_id>{delta_id}; }).id;
        store.flush();
        EXPECT_EQ(store.stats().blobs_delta, 2u);
        EXPECT_EQ(r.index().find(second_id)->record.compression, blob_encoding::zstd_delta);
        EXPECT_EQ(r.delta_bases(second_id), std::vector<object_id>{base_id});
        EXPECT_EQ(r.read_blob(second_id), still_similar);
    }
    // From a fresh open, through the stored indexes.
    repo r = open();
    r.load_index();
    EXPECT_EQ(r.read_blob(delta_id), similar);
    EXPECT_EQ(r.read_blob(second_id), still_similar);
    EXPECT_EQ(r.read_base_blob(base_id), base);
    EXPECT_EQ(r.delta_bases(delta_id), std::vector<object_id>{base_id});
    EXPECT_EQ(r.delta_bases(second_id), std::vector<object_id>{base_id});
    // A delta is never a base.
    EXPECT_THROW(r.read_base_blob(delta_id), corruption_error);
    EXPECT_THROW(r.read_base_blob(second_id), corruption_error);
}

TEST_F(delta_store_test, UnusableCandidatesLeaveTheBlobWhole) {
    const auto rows = table_rows(2500, 50);
    const bytes base = joined(rows);
    const bytes list_like = joined(updated(rows, 9, 51));
    repo r = init();
    blob_store store(r);
    const object_id base_id = store.add(blob_type::data, base).id;
    const object_id list_id = store.add(blob_type::list, list_like).id;
    const object_id unknown = object_id::of_content(bytes_of("never stored"));
    store.flush();

    // Unknown ids, blobs of another type, or no candidates at all.
    const bytes a = joined(updated(rows, 5, 52));
    const object_id a_id = store.add(blob_type::data, a, [&] { return std::vector<object_id>{unknown, list_id}; }).id;
    const object_id b_id = store.add(blob_type::data, joined(updated(rows, 5, 53)), [] { return std::vector<object_id>{}; }).id;
    store.flush();
    EXPECT_EQ(store.stats().blobs_delta, 0u);
    EXPECT_EQ(r.index().find(a_id)->record.compression, blob_encoding::zstd);
    EXPECT_EQ(r.index().find(b_id)->record.compression, blob_encoding::zstd);
    EXPECT_EQ(r.read_blob(a_id), a);

    // A candidate whose pack is gone is passed over (the blob is stored whole), and one that
    // works next to it is still used.
    const bytes c = joined(updated(rows, 5, 54));
    const bytes noise_base = test_data::random_stream(40'000, 55);
    const object_id noise_id = store.add(blob_type::data, noise_base).id;
    store.flush();
    const auto noise_pack = r.index().find(noise_id)->pack;
    ASSERT_NE(noise_pack, r.index().find(base_id)->pack);
    std::filesystem::remove(file_of(names::pack(noise_pack)));
    const object_id c_id = store.add(blob_type::data, c, [&] { return std::vector<object_id>{noise_id, base_id}; }).id;
    store.flush();
    EXPECT_EQ(r.index().find(c_id)->record.compression, blob_encoding::zstd_delta);
    EXPECT_EQ(r.delta_bases(c_id), std::vector<object_id>{base_id});
    EXPECT_EQ(r.read_blob(c_id), c);
}

TEST_F(delta_store_test, AnUnencryptedDeltaWithAnAlteredBaseCountIsRefused) {
    const auto rows = table_rows(2500, 60);
    const bytes base = joined(rows);
    const bytes similar = joined(updated(rows, 5, 61));
    object_id base_id, delta_id;
    {
        repo r = init("", fast_options(encryption_mode::none));
        blob_store store(r);
        base_id = store.add(blob_type::data, base).id;
        store.flush();
        delta_id = store.add(blob_type::data, similar, [&] { return std::vector<object_id>{base_id}; }).id;
        store.flush();
    }
    repo r = open("");
    r.load_index();
    const auto location = r.index().find(delta_id);
    ASSERT_TRUE(location);
    ASSERT_EQ(location->record.compression, blob_encoding::zstd_delta);
    ASSERT_EQ(r.read_blob(delta_id), similar);
    const auto pack_file = file_of(names::pack(location->pack));
    const auto set_count = [&](char count) {
        std::fstream f(pack_file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(location->record.offset));
        f.write(&count, 1);
    };
    for (const char count : {char{0}, char{2}, char{9}}) {
        SCOPED_TRACE(static_cast<int>(count));
        set_count(count);
        // Never the wrong bytes: refused as corrupt, or for naming a blob the index lacks.
        EXPECT_THROW(r.read_blob(delta_id), repository_error);
        if (count != 2) {
            EXPECT_THROW(r.read_blob(delta_id), corruption_error);
            EXPECT_THROW(r.delta_bases(delta_id), corruption_error);
        }
    }
    set_count(1);
    EXPECT_EQ(r.read_blob(delta_id), similar);
}

TEST_F(delta_store_test, DeltaReferencesFindTheSimilarChunkOfAStoredStream) {
    const gear_table gear = make_gear_table(default_gear_seed);
    std::vector<std::vector<std::string>> tables;
    std::vector<bytes> chunks;
    for (std::uint64_t seed = 70; seed < 74; ++seed) {
        tables.push_back(table_rows(2000, seed));
        chunks.push_back(joined(tables.back()));
    }
    repo r = init();
    stream_entry entry;
    entry.name = "db";
    {
        blob_store store(r);
        sketch_list_builder sketches(store);
        for (const bytes& chunk : chunks) {
            entry.content.push_back(store.add(blob_type::data, chunk).id);
            entry.size += chunk.size();
            sketches.append(sketch_of(chunk, gear));
        }
        sketches.finish(entry);
        store.flush();
    }
    ASSERT_EQ(entry.sketch_lists.size(), 1u);
    EXPECT_EQ(r.index().find(entry.sketch_lists[0])->record.type, blob_type::sketch);
    EXPECT_EQ(r.read_blob(entry.sketch_lists[0], blob_type::sketch).size(), sketch_bytes * chunks.size());

    const auto refs = delta_references::load(r, entry);
    ASSERT_TRUE(refs);
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        SCOPED_TRACE(i);
        // Each edited chunk points at its original, and only at it.
        const bytes edited = joined(updated(tables[i], 5, 100 + i));
        EXPECT_EQ(refs->bases_for(sketch_of(edited, gear)), std::vector<object_id>{entry.content[i]});
        // And so does the original's own sketch, as the sketch blob gave it back.
        EXPECT_EQ(refs->bases_for(sketch_of(chunks[i], gear)), std::vector<object_id>{entry.content[i]});
    }
    // A chunk made of the ends of two neighbours names both, in stream order.
    std::vector<std::string> spliced(tables[2].begin() + 1000, tables[2].end());
    spliced.insert(spliced.end(), tables[1].begin(), tables[1].begin() + 1000);
    const auto both = refs->bases_for(sketch_of(joined(spliced), gear));
    EXPECT_FALSE(both.empty());
    for (const object_id& id : both) EXPECT_TRUE(id == entry.content[1] || id == entry.content[2]);
    if (both.size() == 2) {
        EXPECT_EQ(both, (std::vector<object_id>{entry.content[1], entry.content[2]}));
    }
    // Nothing for unrelated data, or no keys at all.
    EXPECT_TRUE(refs->bases_for(sketch_of(joined(table_rows(2000, 90)), gear)).empty());
    EXPECT_TRUE(refs->bases_for(chunk_sketch{}).empty());

    // No sketches, or not one per chunk: no references.
    stream_entry without = entry;
    without.sketch_lists.clear();
    EXPECT_FALSE(delta_references::load(r, without));
    stream_entry longer = entry;
    longer.content.push_back(entry.content[0]);
    EXPECT_FALSE(delta_references::load(r, longer));
}

TEST_F(delta_store_test, AKeyInTwoChunksPointsNowhere) {
    const gear_table gear = make_gear_table(default_gear_seed);
    const auto rows = table_rows(2000, 80);
    const bytes chunk = joined(rows);
    const bytes copy_with_updates = joined(updated(rows, 40, 81));
    repo r = init();
    stream_entry entry;
    entry.name = "db";
    {
        blob_store store(r);
        sketch_list_builder sketches(store);
        for (const bytes* c : {&chunk, &copy_with_updates}) {
            entry.content.push_back(store.add(blob_type::data, *c).id);
            sketches.append(sketch_of(*c, gear));
        }
        sketches.finish(entry);
        store.flush();
    }
    const chunk_sketch a = sketch_of(chunk, gear);
    const chunk_sketch b = sketch_of(copy_with_updates, gear);
    ASSERT_GE(shared_keys(a, b), 1u);
    const auto refs = delta_references::load(r, entry);
    ASSERT_TRUE(refs);
    // Only keys unique to one chunk find it.
    for (const auto key : a.keys) {
        chunk_sketch one;
        one.keys[0] = key;
        const auto found = refs->bases_for(one);
        if (std::find(b.keys.begin(), b.keys.end(), key) != b.keys.end())
            EXPECT_TRUE(found.empty());
        else
            EXPECT_EQ(found, std::vector<object_id>{entry.content[0]});
    }
}

TEST_F(delta_store_test, LongStreamsSpreadTheirSketchesOverSeveralBlobs) {
    repo r = init();
    stream_entry entry;
    {
        blob_store store(r);
        sketch_list_builder sketches(store);
        for (std::size_t i = 0; i < sketches_per_blob + 10; ++i) {
            chunk_sketch s;
            s.keys[0] = static_cast<std::uint32_t>(i);
            sketches.append(s);
        }
        sketches.finish(entry);
        store.flush();
    }
    ASSERT_EQ(entry.sketch_lists.size(), 2u);
    EXPECT_EQ(r.read_blob(entry.sketch_lists[0], blob_type::sketch).size(), sketches_per_blob * sketch_bytes);
    EXPECT_EQ(r.read_blob(entry.sketch_lists[1], blob_type::sketch).size(), 10 * sketch_bytes);
    // Little-endian u32 keys, in order.
    const auto last = r.read_blob(entry.sketch_lists[1], blob_type::sketch);
    const std::uint32_t first_key = std::to_integer<std::uint32_t>(last[0]) |
                                    (std::to_integer<std::uint32_t>(last[1]) << 8) |
                                    (std::to_integer<std::uint32_t>(last[2]) << 16) |
                                    (std::to_integer<std::uint32_t>(last[3]) << 24);
    EXPECT_EQ(first_key, sketches_per_blob);
    EXPECT_EQ(std::to_integer<std::uint32_t>(last[4]), 0xffu);  // the second key: no_key
}

}  // namespace
}  // namespace holdfast::repository::testing
