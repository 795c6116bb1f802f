// Restore-test proofs: stored beside the snapshots, sealed and bound to their snapshot.
#include "repository_fixture.hpp"

#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/proofs.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

namespace holdfast::repository::testing {
namespace {

using proofs_test = repository_test;
using namespace std::chrono_literals;

const object_id snapshot_a = object_id::of_content(bytes_of("snapshot a"));
const object_id snapshot_b = object_id::of_content(bytes_of("snapshot b"));

proof sample(const object_id& snapshot, utc_time time, bool passed) {
    proof p;
    p.snapshot = snapshot;
    p.time = time;
    p.host = "db1";
    p.user = "backup";
    p.holdfast_version = "0.1.0";
    p.engine = "sqlite";
    p.engine_version = "0.1.0";
    p.passed = passed;
    p.duration_ms = 1234;
    p.summary = passed ? "restored and checked: 1 table, 5 rows as recorded" : "table \"t\" has 4 rows, 5 recorded";
    p.report = {{"integrity", "ok"}, {"row_counts", {{"t", 5}}}, {"differences", nlohmann::json::array()}};
    return p;
}

void flip_byte(const std::filesystem::path& file, std::streamoff at) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(at);
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x20);
    f.seekp(at);
    f.write(&c, 1);
}

TEST_F(proofs_test, SaveListLoadRoundTrip) {
    repo r = init();
    const utc_time t0 = utc_now();
    const object_id later = save_proof(r, sample(snapshot_a, t0 + 5s, false));
    const object_id earlier = save_proof(r, sample(snapshot_a, t0, true));
    const object_id other = save_proof(r, sample(snapshot_b, t0 + 1s, true));

    // proofs/<snapshot>/<id>, the id being the SHA-256 of the stored bytes.
    EXPECT_TRUE(objects("proofs/").contains("proofs/" + snapshot_a.hex() + "/" + later.hex()));
    EXPECT_EQ(objects(names::proofs_of(snapshot_a)).size(), 2u);
    const auto stored = storage()->get(names::proof(snapshot_b, other));
    EXPECT_EQ(object_id::of_content(stored), other);

    const proof loaded = load_proof(open(), snapshot_a, earlier);
    EXPECT_EQ(loaded.snapshot, snapshot_a);
    EXPECT_EQ(loaded.time, t0);
    EXPECT_EQ(loaded.host, "db1");
    EXPECT_EQ(loaded.user, "backup");
    EXPECT_EQ(loaded.holdfast_version, "0.1.0");
    EXPECT_EQ(loaded.engine, "sqlite");
    EXPECT_EQ(loaded.kind, "restore-test");
    EXPECT_TRUE(loaded.passed);
    EXPECT_EQ(loaded.duration_ms, 1234u);
    EXPECT_EQ(loaded.summary, "restored and checked: 1 table, 5 rows as recorded");
    EXPECT_EQ(loaded.report, sample(snapshot_a, t0, true).report);

    const proof_listing of_a = list_proofs(r, snapshot_a);
    ASSERT_EQ(of_a.proofs.size(), 2u);
    EXPECT_EQ(of_a.proofs[0].id, earlier);  // oldest first
    EXPECT_EQ(of_a.proofs[1].id, later);
    EXPECT_FALSE(of_a.proofs[1].doc.passed);
    EXPECT_TRUE(of_a.unreadable.empty());

    const proof_listing all = list_all_proofs(r);
    ASSERT_EQ(all.proofs.size(), 3u);
    ASSERT_EQ(all.of(snapshot_a).size(), 2u);
    EXPECT_EQ(all.of(snapshot_a)[1].id, later);
    ASSERT_EQ(all.of(snapshot_b).size(), 1u);
    EXPECT_EQ(all.of(snapshot_b)[0].id, other);
    EXPECT_TRUE(all.of(object_id::of_content(bytes_of("no such snapshot"))).empty());
}

TEST_F(proofs_test, TheContentIsSealed) {
    repo r = init();
    const object_id id = save_proof(r, sample(snapshot_a, utc_now(), true));
    const auto stored = storage()->get(names::proof(snapshot_a, id));
    const std::string text(reinterpret_cast<const char*>(stored.data()), stored.size());
    EXPECT_EQ(text.find("restore-test"), std::string::npos);
    EXPECT_EQ(text.find("sqlite"), std::string::npos);
}

TEST_F(proofs_test, ATamperedProofIsRejectedAndTheOthersStillList) {
    repo r = init();
    const object_id bad = save_proof(r, sample(snapshot_a, utc_now(), false));
    const object_id good = save_proof(r, sample(snapshot_a, utc_now() + 1s, true));
    flip_byte(file_of(names::proof(snapshot_a, bad)), 20);

    try {
        load_proof(r, snapshot_a, bad);
        FAIL() << "a damaged proof loaded";
    } catch (const corruption_error& e) {
        EXPECT_NE(std::string(e.what()).find(names::proof(snapshot_a, bad)), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("does not match its name"), std::string::npos) << e.what();
    }
    const proof_listing listing = list_proofs(r, snapshot_a);
    ASSERT_EQ(listing.proofs.size(), 1u);
    EXPECT_EQ(listing.proofs[0].id, good);
    ASSERT_EQ(listing.unreadable.size(), 1u);
    EXPECT_NE(listing.unreadable[0].find("corrupt"), std::string::npos) << listing.unreadable[0];
}

TEST_F(proofs_test, AProofRenamedToMatchItsAlteredContentDoesNotAuthenticate) {
    repo r = init();
    const object_id id = save_proof(r, sample(snapshot_a, utc_now(), false));
    auto bytes = storage()->get(names::proof(snapshot_a, id));
    bytes[bytes.size() / 2] ^= std::byte{1};
    const object_id renamed = object_id::of_content(bytes);
    storage()->put(names::proof(snapshot_a, renamed), bytes);
    EXPECT_THROW(load_proof(r, snapshot_a, renamed), corruption_error);
}

// A failed drill of one snapshot must not pass for a drill of another.
TEST_F(proofs_test, AProofCopiedUnderAnotherSnapshotDoesNotOpen) {
    for (const auto mode : {encryption_mode::aes_256_gcm, encryption_mode::none}) {
        SCOPED_TRACE(std::string(to_string(mode)));
        std::filesystem::remove_all(dir());
        repo r = init("correct horse", fast_options(mode));
        const object_id id = save_proof(r, sample(snapshot_a, utc_now(), true));
        storage()->put(names::proof(snapshot_b, id), storage()->get(names::proof(snapshot_a, id)));
        EXPECT_NO_THROW(load_proof(r, snapshot_a, id));
        EXPECT_THROW(load_proof(r, snapshot_b, id), corruption_error);
        EXPECT_EQ(list_all_proofs(r).proofs.size(), 1u);
    }
}

TEST_F(proofs_test, RemovingProofsAndForeignKeys) {
    repo r = init();
    save_proof(r, sample(snapshot_a, utc_now(), true));
    save_proof(r, sample(snapshot_a, utc_now() + 1s, true));
    const object_id kept = save_proof(r, sample(snapshot_b, utc_now(), true));
    // Keys of another form (a tool's temporary file, an upper-case spelling) are not proofs.
    storage()->put("proofs/" + snapshot_a.hex() + "/tmp.123", bytes_of("junk"));
    storage()->put("proofs/README", bytes_of("junk"));
    EXPECT_EQ(list_all_proof_names(r).size(), 3u);

    const auto names_a = list_proof_names(r, snapshot_a);
    ASSERT_EQ(names_a.size(), 2u);
    EXPECT_EQ(remove_proofs(r, names_a), 2u);
    EXPECT_TRUE(list_proofs(r, snapshot_a).proofs.empty());
    const auto rest = list_all_proofs(r);
    ASSERT_EQ(rest.proofs.size(), 1u);
    EXPECT_EQ(rest.proofs[0].id, kept);
}

TEST_F(proofs_test, AProofNewerThanThisHoldfastIsRefused) {
    EXPECT_THROW(proof::parse(R"({"version": 2, "snapshot": ")" + snapshot_a.hex() +
                                  R"(", "time": "2026-11-21T12:00:00Z", "kind": "restore-test", "passed": true})",
                              "proof x"),
                 repository_error);
    EXPECT_THROW(proof::parse(R"({"version": 1, "snapshot": "nope"})", "proof x"), corruption_error);
    EXPECT_THROW(proof::parse("[]", "proof x"), corruption_error);
}

}  // namespace
}  // namespace holdfast::repository::testing
