/*
 * holdfast engine plugin ABI: one plugin per database type.
 *
 * An engine opens a *source* (one database server, file or command, described
 * by its settings JSON), and can probe it, back it up as one or more named byte
 * streams, restore such streams into it, verify a restore, and detect its data
 * files inside a directory. The host owns the repository: the engine only
 * writes streams into a host-provided sink and reads them from a host-provided
 * source. See abi.h for the rules every struct and string follows.
 */
#ifndef HOLDFAST_ENGINE_H
#define HOLDFAST_ENGINE_H

#include "holdfast/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque, plugin-owned: one open source. Released with hf_engine_functions.close. */
typedef struct hf_engine hf_engine;

/* Opaque, host-owned: one stream being written during a backup. */
typedef struct hf_output_stream hf_output_stream;

/* Opaque, host-owned: one stream being read during a restore or verify. */
typedef struct hf_input_stream hf_input_stream;

/* ---- backup: the engine writes streams into the host's sink ---------------- */

/* Provided by the host for the duration of one backup call.
 *
 * Stream names are UTF-8, 1..255 bytes, made of segments separated by '.';
 * they must not contain '/', '\\', NUL or "..". The host refuses others with
 * HF_ERR_INVALID_ARGUMENT. Distinct streams may be written concurrently from
 * different threads; one stream is written by one thread at a time. */
typedef struct hf_stream_sink {
    uint32_t struct_size;
    void* context; /* pass back as the first argument of begin_stream/set_metadata */
    /* Start a new stream called `name` (unique within the backup). On success
     * *stream is a host handle valid until end_stream is called on it. The host may
     * still be opening its repository when backup is called: the first begin_stream
     * (or set_metadata) then blocks until it is open, and fails if it cannot be
     * (the host reports the repository's own error, not the engine's). */
    hf_status (*begin_stream)(void* context, const char* name, hf_output_stream** stream,
                              hf_error* error);
    /* Append `length` bytes (borrowed) to the stream. May take a while when the host's
     * pipeline is behind (it then stores data on the calling thread): that is how memory
     * stays bounded. */
    hf_status (*write)(hf_output_stream* stream, const void* data, size_t length, hf_error* error);
    /* Finish the stream and release the handle; must be called exactly once per
     * begun stream, also on failure paths. `commit` non-zero: the stream is
     * complete; zero: abandon it (the backup will fail). */
    hf_status (*end_stream)(hf_output_stream* stream, int32_t commit, hf_error* error);
    /* Record engine metadata for the snapshot: a JSON object (server version,
     * row counts, ...). May be called at any time; the last call wins. */
    hf_status (*set_metadata)(void* context, const char* json, hf_error* error);
} hf_stream_sink;

/* ---- restore / verify: the engine reads streams from the host's source ----- */

/* Called once per stream in a snapshot, in the order they were written. */
typedef hf_status (*hf_stream_info_callback)(void* context, const char* name, uint64_t size);

/* Provided by the host for the duration of one restore or verify call. */
typedef struct hf_stream_source {
    uint32_t struct_size;
    void* context; /* pass back as the first argument of list_streams/open_stream */
    /* The engine metadata JSON recorded at backup ("{}" when none). Borrowed. */
    const char* metadata_json;
    /* Enumerate the snapshot's streams. */
    hf_status (*list_streams)(void* context, hf_stream_info_callback callback,
                              void* callback_context, hf_error* error);
    /* Open a stream for sequential reading (from its first byte; see seek);
     * HF_ERR_NOT_FOUND when absent.
     * Several streams, and several handles of one stream, may be open at once,
     * each used by one thread at a time. */
    hf_status (*open_stream)(void* context, const char* name, hf_input_stream** stream,
                             hf_error* error);
    /* Read up to `capacity` bytes into `buffer`; *length receives the count,
     * 0 meaning end of stream. A stream whose content fails its integrity check
     * returns HF_ERR_CORRUPT rather than wrong bytes. */
    hf_status (*read)(hf_input_stream* stream, void* buffer, size_t capacity, size_t* length,
                      hf_error* error);
    /* Release a stream opened by open_stream. Never fails. */
    void (*close_stream)(hf_input_stream* stream);
    /* ---- ABI 1.2 ---- */
    /* Optional (NULL, or past the struct's struct_size when the host is older
     * than 1.2: the engine must then read each stream from start to end). Move
     * `stream` so that the next read returns bytes from `offset`, counted from
     * the start of the stream. `offset` equal to the stream's size is allowed
     * (the next read returns 0); beyond it the call fails with
     * HF_ERR_INVALID_ARGUMENT and the stream stays where it was. May be called
     * any number of times, forwards or backwards, on any open stream; several
     * handles of one stream may be open and sought independently.
     * Reads after a seek are still checked piece by piece: every blob of the
     * repository they return bytes from is authenticated and checked against
     * its id, so damaged content still fails the read with HF_ERR_CORRUPT,
     * never gives wrong bytes. But the whole stream's checksum and size are no
     * longer checked at the end of a handle that has sought (not guaranteed,
     * at least): those checks need one pass from the first byte to the last.
     * An engine that needs them reads the stream from start to end on a
     * handle that never seeks (other handles of the same stream may seek
     * meanwhile). Otherwise fails as read does (HF_ERR_CORRUPT,
     * HF_ERR_CANCELLED, HF_ERR_IO, ...). */
    hf_status (*seek)(hf_input_stream* stream, uint64_t offset, hf_error* error);
} hf_stream_source;

/* ---- the function table ---------------------------------------------------- */

typedef struct hf_engine_functions {
    uint32_t struct_size;
    /* Required. Open a source described by `settings_json` (a JSON object that
     * the host has already validated against the manifest's settings schema,
     * with secrets resolved). `host` stays valid until close. On success
     * *engine is a plugin-owned handle. Opening should not connect yet where
     * that is slow; probe and backup do. */
    hf_status (*open)(const char* settings_json, const hf_host_services* host, hf_engine** engine,
                      hf_error* error);
    /* Required. Release an engine handle; NULL is ignored. Never fails. */
    void (*close)(hf_engine* engine);
    /* Required. Check the source: reachable, version, enough privileges, what
     * it holds. Delivers one JSON object through `result` (at least
     * {"reachable": bool}); returns HF_OK even when the source is unreachable,
     * reserving errors for failures of the probe itself. */
    hf_status (*probe)(hf_engine* engine, hf_string_callback result, void* result_context,
                       hf_error* error);
    /* Required. Back the source up into `sink`. `options_json` is a JSON object
     * of per-run options ("{}" when none; keys the engine does not know are an
     * error). On failure the host discards every stream already written. */
    hf_status (*backup)(hf_engine* engine, const char* options_json, const hf_stream_sink* sink,
                        hf_error* error);
    /* Required. Restore the streams of `source` into the source this engine
     * opened (or where options_json directs). Must leave the existing database
     * untouched on failure. `report` (optional, may be NULL) receives one JSON
     * object describing what was done. */
    hf_status (*restore)(hf_engine* engine, const char* options_json,
                         const hf_stream_source* source, hf_string_callback report,
                         void* report_context, hf_error* error);
    /* Optional (NULL: the engine cannot verify). Prove that `source` restores:
     * restore into a scratch location, compare with the snapshot metadata,
     * clean up. Delivers one JSON report through `report` whether or not the
     * check passes, then returns HF_OK when it passed, or HF_ERR_CORRUPT with a
     * one-line summary of the mismatch in `error` when it did not. A stream the
     * host's read reports as HF_ERR_CORRUPT fails the check too, possibly before
     * any report. Any other status means the check could not run. */
    hf_status (*verify)(hf_engine* engine, const char* options_json,
                        const hf_stream_source* source, hf_string_callback report,
                        void* report_context, hf_error* error);
    /* Optional (NULL: the engine cannot detect). Scan the directory `path`
     * (recursively, read only) for this engine's data and deliver one JSON
     * object per find through `found` (at least {"path": "...", "engine": "..."}).
     * Needs no open source. */
    hf_status (*detect)(const char* path, const hf_host_services* host, hf_string_callback found,
                        void* found_context, hf_error* error);
    /* ---- ABI 1.1 ---- */
    /* Optional (NULL, or past the table's struct_size in a 1.0 plugin: the
     * engine cannot clone). Copy what `options_json` names (for example
     * {"database": "app", "target": "app_copy"}) from the source `source` opened
     * into the source `target` opened, directly, with no repository in between.
     * Both handles were opened by this plugin's open; they may name the same
     * server. Must leave the target's existing data untouched on failure.
     * `report` (optional, may be NULL) receives one JSON object describing what
     * was done. */
    hf_status (*clone)(hf_engine* source, hf_engine* target, const char* options_json,
                       hf_string_callback report, void* report_context, hf_error* error);
} hf_engine_functions;

#ifdef __cplusplus
} /* extern "C" */
#endif

#if defined(__LP64__) || defined(_WIN64)
HF_STATIC_ASSERT(sizeof(hf_stream_sink) == 48, "hf_stream_sink layout changed");
HF_STATIC_ASSERT(offsetof(hf_stream_sink, set_metadata) == 40, "hf_stream_sink layout changed");
HF_STATIC_ASSERT(sizeof(hf_stream_source) == 64, "hf_stream_source layout changed");
HF_STATIC_ASSERT(offsetof(hf_stream_source, close_stream) == 48, "hf_stream_source layout changed");
HF_STATIC_ASSERT(offsetof(hf_stream_source, seek) == 56, "hf_stream_source layout changed");
HF_STATIC_ASSERT(sizeof(hf_engine_functions) == 72, "hf_engine_functions layout changed");
HF_STATIC_ASSERT(offsetof(hf_engine_functions, open) == 8, "hf_engine_functions layout changed");
HF_STATIC_ASSERT(offsetof(hf_engine_functions, detect) == 56, "hf_engine_functions layout changed");
HF_STATIC_ASSERT(offsetof(hf_engine_functions, clone) == 64, "hf_engine_functions layout changed");
#endif

#endif /* HOLDFAST_ENGINE_H */
