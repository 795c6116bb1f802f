// The backup pipeline: chunking, the worker pool, ordered content lists, whole-stream
// hashes, the snapshot document, and what happens when things go wrong.
#include "pipeline_fixture.hpp"

#include "core/cancellation.hpp"
#include "pipeline/backup_sink.hpp"
#include "pipeline/blob_writer.hpp"
#include "repository/crypto.hpp"
#include "repository/errors.hpp"
#include "repository/orphan_recovery.hpp"
#include "repository/snapshots.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

namespace holdfast::pipeline::testing {
namespace {

using repository::test_data::random_stream;
using repository::test_data::text_stream;

using namespace std::chrono_literals;
using backup_test = pipeline_test;

backup_request request_for(std::string source) {
    backup_request request;
    request.source = std::move(source);
    return request;
}

TEST_F(backup_test, ChunkBoundarySizesRoundTripBitIdentical) {
    repository::repo repo = init();
    const auto params = repo.chunker();
    std::vector<named_stream> streams;
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, params.min_size, params.avg_size, params.max_size,
                             params.max_size + 1, 5 * params.max_size + 12345}) {
        streams.emplace_back("s" + std::to_string(size), random_stream(size, size + 1));
    }
    const auto outcome = backup(repo, streams);
    ASSERT_EQ(outcome.snapshot.streams.size(), streams.size());
    const auto saved = repository::load_snapshot(repo, outcome.id);
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const auto& entry = saved.streams[i];
        SCOPED_TRACE(entry.name);
        EXPECT_EQ(entry.name, streams[i].first);
        EXPECT_EQ(entry.size, streams[i].second.size());
        EXPECT_EQ(entry.checksum, repository::stream_hasher::of(streams[i].second));
        EXPECT_EQ(read_back(repo, saved, entry.name), streams[i].second);
    }
    // No cut before min_size; a cut at max_size at the latest.
    EXPECT_TRUE(saved.streams[0].content.empty());
    EXPECT_EQ(saved.streams[1].content.size(), 1u);
    EXPECT_EQ(saved.streams[2].content.size(), 1u);
    EXPECT_GE(saved.streams[5].content.size(), 2u);
}

TEST_F(backup_test, SnapshotRecordsSourceEngineTagsMetadataAndSummary) {
    repository::repo repo = init();
    backup_request request;
    request.source = "app";
    request.engine = "exec";
    request.engine_version = "0.1.0";
    request.tags = {"nightly", "test"};
    const auto data = text_stream(3 * 1024 * 1024, 5);
    const auto outcome = backup(repo, {{"dump", data}}, request);
    const auto saved = repository::load_snapshot(repo, outcome.id);
    EXPECT_EQ(saved.source, "app");
    EXPECT_EQ(saved.engine, "exec");
    EXPECT_EQ(saved.engine_version, "0.1.0");
    EXPECT_EQ(saved.tags, (std::vector<std::string>{"nightly", "test"}));
    EXPECT_EQ(saved.metadata, nlohmann::json({{"streams", 1}}));
    EXPECT_FALSE(saved.parent);
    EXPECT_FALSE(saved.host.empty());
    // The stream, and one 16-byte sketch per chunk for the next backup's deltas.
    ASSERT_EQ(saved.streams.size(), 1u);
    EXPECT_EQ(saved.streams[0].sketch_lists.size(), 1u);
    EXPECT_EQ(saved.summary.bytes_new,
              data.size() + repository::sketch_bytes * saved.streams[0].content.size());
    EXPECT_GT(saved.summary.blobs_new, 1u);
    // Compressible text: stored smaller than it is.
    EXPECT_LT(saved.summary.bytes_stored_new, data.size() / 2);
}

TEST_F(backup_test, SecondBackupOfUnchangedDataStoresNothingNewAndNamesItsParent) {
    repository::repo repo = init();
    const auto data = text_stream(4 * 1024 * 1024, 9);
    const auto first = backup(repo, {{"db", data}});
    const auto packs = objects("data/");
    const auto second = backup(repo, {{"db", data}});
    EXPECT_EQ(second.stats.bytes_new, 0u);
    EXPECT_EQ(objects("data/"), packs);
    ASSERT_TRUE(second.snapshot.parent);
    EXPECT_EQ(*second.snapshot.parent, first.id);
    // A different source has no parent.
    backup_request other;
    other.source = "other";
    EXPECT_FALSE(backup(repo, {{"db", data}}, other).snapshot.parent);
}

TEST_F(backup_test, ManyWorkersKeepChunkOrderAndLongListsSpillIntoListBlobs) {
    repository::repo repo = init("pw", tiny_chunks());
    // ~6 MB of 256-byte chunks: more than 16,384 ids, so two list blobs.
    const auto data = random_stream(6 * 1024 * 1024, 77);
    backup_request request;
    request.threads = 8;
    const auto outcome = backup(repo, {{"big", data}}, request);
    const auto saved = repository::load_snapshot(repo, outcome.id);
    EXPECT_TRUE(saved.streams[0].content.empty());
    EXPECT_GE(saved.streams[0].content_lists.size(), 2u);
    EXPECT_EQ(read_back(repo, saved, "big", 7777), data);
}

TEST_F(backup_test, StreamsWrittenConcurrentlyKeepTheirOrderOfBeginning) {
    repository::repo repo = init();
    const auto a = text_stream(3 * 1024 * 1024, 1);
    const auto b = random_stream(2 * 1024 * 1024 + 3, 2);
    const auto c = text_stream(100, 3);
    backup_request request;
    request.source = "s";
    request.engine = "e";
    request.engine_version = "1";
    const auto outcome = run_backup(repo, request, [&](client::backup_target& target) {
        auto wa = target.begin_stream("a");
        auto wb = target.begin_stream("b");
        auto wc = target.begin_stream("c");
        // engine.h: distinct streams may be written from different threads at once.
        std::jthread ta([&] { write_in_pieces(*wa, a, 1); });
        std::jthread tb([&] { write_in_pieces(*wb, b, 2); });
        write_in_pieces(*wc, c, 3);
    });
    const auto saved = repository::load_snapshot(repo, outcome.id);
    ASSERT_EQ(saved.streams.size(), 3u);
    EXPECT_EQ(saved.streams[0].name, "a");
    EXPECT_EQ(saved.streams[1].name, "b");
    EXPECT_EQ(saved.streams[2].name, "c");
    EXPECT_EQ(read_back(repo, saved, "a"), a);
    EXPECT_EQ(read_back(repo, saved, "b"), b);
    EXPECT_EQ(read_back(repo, saved, "c"), c);
}

TEST_F(backup_test, DuplicateStreamNamesAndBadMetadataAreRefused) {
    repository::repo repo = init();
    EXPECT_THROW(run_backup(repo, request_for("s"), [](client::backup_target& target) {
                     auto first = target.begin_stream("x");
                     first->finish(true);
                     target.begin_stream("x");
                 }),
                 client::plugin_error);
    EXPECT_THROW(run_backup(repo, request_for("s"),
                            [](client::backup_target& target) { target.set_metadata("[1, 2]"); }),
                 client::plugin_error);
    EXPECT_TRUE(objects("snapshots/").empty());
}

TEST_F(backup_test, AnAbandonedStreamFailsTheBackupAndWritesNoSnapshot) {
    repository::repo repo = init();
    const auto data = random_stream(1024 * 1024, 4);
    EXPECT_THROW(run_backup(repo, request_for("s"),
                            [&](client::backup_target& target) {
                                auto good = target.begin_stream("good");
                                write_in_pieces(*good, data, 1);
                                auto bad = target.begin_stream("bad");
                                write_in_pieces(*bad, data, 2, /*commit=*/false);
                                // The engine (wrongly) reports success all the same.
                            }),
                 repository::repository_error);
    EXPECT_TRUE(objects("snapshots/").empty());
}

TEST_F(backup_test, AFailedEngineLeavesNoSnapshotAndItsUploadsAreReusedNextTime) {
    const auto data = random_stream(3 * 1024 * 1024, 8);
    {
        repository::repo repo = init();
        EXPECT_THROW(run_backup(repo, request_for("s"),
                                [&](client::backup_target& target) {
                                    auto writer = target.begin_stream("db");
                                    writer->write(data);
                                    writer->finish(true);
                                    // Fails after its stream was stored, before the snapshot.
                                    throw client::plugin_error(HF_ERR_FAILED, "pg_dump died");
                                }),
                     client::plugin_error);
    }
    EXPECT_TRUE(objects("snapshots/").empty());
    // 32 KiB packs: most of the data was uploaded before the failure.
    EXPECT_FALSE(objects("data/").empty());

    repository::repo repo = open();
    repo.load_index();
    const auto recovered = repository::recover_orphan_packs(repo);
    EXPECT_GT(recovered.packs, 0u);
    const auto outcome = backup(repo, {{"db", data}});
    EXPECT_LT(outcome.stats.bytes_new, data.size() / 4) << "orphan packs were not reused";
    EXPECT_EQ(read_back(repo, repository::load_snapshot(repo, outcome.id), "db"), data);
}

// The engine runs before the repository is ready: the repository is asked for only once
// the engine writes, so a slow key derivation or index load overlaps the engine's start.
TEST_F(backup_test, TheEngineStartsBeforeTheRepositoryIsReady) {
    repository::repo repo = init();
    const auto data = random_stream(1024 * 1024, 9);
    std::atomic<bool> engine_started = false;
    const repository_when_ready when_ready = [&]() -> repository::repo& {
        // Were the repository awaited before the engine ran, this would wait in vain.
        for (int i = 0; i < 1000 && !engine_started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (!engine_started) throw std::runtime_error("the repository was awaited before the engine started");
        return repo;
    };
    const auto outcome = run_backup(when_ready, request_for("s"), [&](client::backup_target& target) {
        engine_started = true;
        auto writer = target.begin_stream("db");
        write_in_pieces(*writer, data, 1);
    });
    EXPECT_EQ(read_back(repo, repository::load_snapshot(repo, outcome.id), "db"), data);
}

// A repository that could not be made ready is the error reported, not the engine's failure
// it caused (an engine sees a failed write and reports that through the C ABI), and not an
// engine failure that came before the engine wrote anything.
TEST_F(backup_test, ARepositoryThatCannotBeOpenedIsTheErrorReported) {
    const repository_when_ready unopenable = []() -> repository::repo& {
        throw repository::wrong_password_error("wrong password");
    };
    const auto engine_failing_on_write = [](client::backup_target& target) {
        try {
            target.begin_stream("db");
        } catch (const std::exception& e) {
            throw client::plugin_error(HF_ERR_FAILED, std::string("backup failed: ") + e.what());
        }
    };
    EXPECT_THROW(run_backup(unopenable, request_for("s"), engine_failing_on_write), repository::wrong_password_error);
    EXPECT_THROW(run_backup(unopenable, request_for("s"),
                            [](client::backup_target&) { throw client::plugin_error(HF_ERR_FAILED, "no server"); }),
                 repository::wrong_password_error);
    // With a repository that is fine, the engine's own failure stands.
    repository::repo repo = init();
    EXPECT_THROW(run_backup(repo, request_for("s"),
                            [](client::backup_target&) { throw client::plugin_error(HF_ERR_FAILED, "no server"); }),
                 client::plugin_error);
    EXPECT_TRUE(objects("snapshots/").empty());
}

TEST_F(backup_test, InterruptionStopsTheEngineCleanlyWithoutSnapshot) {
    repository::repo repo = init();
    const auto data = random_stream(512 * 1024, 6);
    hf_status seen = HF_OK;
    try {
        run_backup(repo, request_for("s"), [&](client::backup_target& target) {
            auto writer = target.begin_stream("db");
            writer->write(data);
            holdfast::request_cancellation();  // as SIGINT does
            try {
                writer->write(data);
            } catch (const client::plugin_error& e) {
                seen = e.code();
                writer->finish(false);
                throw;
            }
        });
        ADD_FAILURE() << "the backup went on after the interruption";
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_CANCELLED);
    }
    holdfast::reset_cancellation();
    EXPECT_EQ(seen, HF_ERR_CANCELLED);
    EXPECT_TRUE(objects("snapshots/").empty());
    // The repository is still sound: a new backup works.
    repository::repo again = open();
    again.load_index();
    const auto outcome = backup(again, {{"db", data}});
    EXPECT_EQ(read_back(again, repository::load_snapshot(again, outcome.id), "db"), data);
}

TEST_F(backup_test, BytesInFlightStayWithinTheBudget) {
    repository::repo repo = init();
    const auto data = text_stream(24 * 1024 * 1024, 10);
    backup_request request;
    request.threads = 2;
    request.budget_bytes = 3 * 1024 * 1024;  // above the 2 MiB largest chunk
    const auto outcome = backup(repo, {{"db", data}}, request);
    EXPECT_GT(outcome.peak_bytes_in_flight, 0u);
    EXPECT_LE(outcome.peak_bytes_in_flight, request.budget_bytes);
}

TEST_F(backup_test, AWriterWhoseBudgetIsSpentStoresTheChunkItself) {
    repository::repo repo = init();
    repository::blob_store store(repo);
    blob_writer writer(store, 1, 1);  // one byte: room for one chunk at a time
    occupied_worker busy(writer.pool());
    const auto first = text_stream(100 * 1024, 21);
    const auto second = text_stream(100 * 1024, 22);
    auto queued = writer.store(first, {}, nullptr);  // the budget was empty: queued
    EXPECT_NE(queued.wait_for(0s), std::future_status::ready);
    auto stored = writer.store(second, {}, nullptr);  // spent: stored on this thread
    ASSERT_EQ(stored.wait_for(0s), std::future_status::ready);
    const repository::object_id second_id = stored.get();
    EXPECT_TRUE(store.contains(second_id));
    EXPECT_NE(queued.wait_for(0s), std::future_status::ready);
    EXPECT_TRUE(writer.help());  // the queued chunk, on this thread too
    ASSERT_EQ(queued.wait_for(0s), std::future_status::ready);
    const repository::object_id first_id = queued.get();
    EXPECT_TRUE(store.contains(first_id));
    EXPECT_NE(first_id, second_id);
    EXPECT_FALSE(writer.help());
    EXPECT_EQ(writer.budget().in_use(), 0u);
    busy.release();
    store.flush();
    EXPECT_EQ(store.stats().blobs_new, 2u);
}

TEST_F(backup_test, AStreamFinishesWhileItsWorkersCannotRun) {
    repository::repo repo = init();
    const auto data = text_stream(6 * 1024 * 1024, 23);
    repository::snapshot snap;
    {
        repository::blob_store store(repo);
        blob_writer writer(store, 1, 64 * 1024 * 1024);  // room for every chunk: all queued
        occupied_worker busy(writer.pool());
        backup_sink sink(store, writer, repo.chunker(), nullptr, {});
        auto stream = sink.begin_stream("db");
        // finish() must store the queued chunks itself; without that it would wait for the
        // occupied worker forever, so it runs aside with a deadline.
        auto finished = std::async(std::launch::async, [&] { write_in_pieces(*stream, data, 1); });
        const bool in_time = finished.wait_for(30s) == std::future_status::ready;
        busy.release();
        finished.get();
        ASSERT_TRUE(in_time) << "the stream waited for its occupied worker";
        snap.streams = sink.take_streams();
        store.flush();
    }
    EXPECT_EQ(read_back(repo, snap, "db"), data);
}

TEST_F(backup_test, CheckpointRunsAndItsFailureStopsTheBackup) {
    repository::repo repo = init();
    const auto data = text_stream(2 * 1024 * 1024, 11);
    int calls = 0;
    backup_request request;
    request.checkpoint = [&] { ++calls; };
    backup(repo, {{"db", data}}, request);
    EXPECT_GE(calls, 1);  // at least before the snapshot is saved

    request.checkpoint = [] { throw repository::repository_error("lost the lock"); };
    EXPECT_THROW(backup(repo, {{"db", data}}, request), repository::repository_error);
    EXPECT_EQ(objects("snapshots/").size(), 1u);
}

TEST(default_budget, Is64MiBAndAtLeastTwoLargestChunksAndFourAveragePerWorker) {
    repository::chunker_params params;
    EXPECT_EQ(default_budget(params, 1), 64u * 1024 * 1024);
    EXPECT_EQ(default_budget(params, 128), 128 * 4 * params.avg_size);
    params.avg_size = 16 * 1024 * 1024;
    params.max_size = 64 * 1024 * 1024;
    EXPECT_EQ(default_budget(params, 1), 2 * params.max_size);
}

}  // namespace
}  // namespace holdfast::pipeline::testing
