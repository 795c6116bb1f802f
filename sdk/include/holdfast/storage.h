/*
 * holdfast storage plugin ABI: one plugin per storage backend.
 *
 * A storage plugin is a flat object store: put, get (optionally a byte range),
 * list by prefix, stat and delete. The repository assumes nothing more than
 * S3 gives: no rename, no append, and listings that may lag behind writes.
 * See abi.h for the rules every struct and string follows.
 *
 * Keys are UTF-8, '/'-separated, 1..1024 bytes, relative (no leading '/'),
 * with no empty, "." or ".." segment, no '\\' and no NUL. A plugin refuses any
 * other key with HF_ERR_INVALID_ARGUMENT.
 *
 * One hf_storage handle may be used from several threads at once; a plugin
 * serializes internally where its backend needs it. docs/storage-plugins.md
 * states the whole contract and tests/storage/ checks it.
 */
#ifndef HOLDFAST_STORAGE_H
#define HOLDFAST_STORAGE_H

#include "holdfast/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque, plugin-owned: one open store. Released with hf_storage_functions.close. */
typedef struct hf_storage hf_storage;

/* Feature bits a plugin advertises in hf_storage_functions.features. */
#define HF_STORAGE_FEATURE_RANGED_GET (1ull << 0)    /* get honours offset/length cheaply */
#define HF_STORAGE_FEATURE_PUT_IF_ABSENT (1ull << 1) /* put honours HF_PUT_IF_ABSENT atomically */

/* Flags for put. */
#define HF_PUT_IF_ABSENT (1u << 0) /* fail with HF_ERR_ALREADY_EXISTS if the key exists */

/* `length` value for get meaning "to the end of the object". */
#define HF_WHOLE_OBJECT UINT64_MAX

typedef struct hf_object_info {
    uint32_t struct_size;
    uint32_t reserved;        /* zero */
    uint64_t size;            /* bytes */
    int64_t modified_unix_ns; /* last modification, ns since the epoch; 0 if unknown */
} hf_object_info;

/* Receives a piece of an object's content; `data` is borrowed for the call.
 * Returning anything but HF_OK stops the get, which returns that status. */
typedef hf_status (*hf_bytes_callback)(void* context, const void* data, size_t length);

/* Receives one listed object. Returning anything but HF_OK stops the listing,
 * which returns that status. */
typedef hf_status (*hf_object_callback)(void* context, const char* key, const hf_object_info* info);

typedef struct hf_storage_functions {
    uint32_t struct_size;
    uint32_t reserved; /* zero */
    uint64_t features; /* HF_STORAGE_FEATURE_* bits */
    /* Required. Open the store described by `settings_json` (validated against
     * the manifest's settings schema, secrets resolved). `host` stays valid
     * until close. On success *storage is a plugin-owned handle. */
    hf_status (*open)(const char* settings_json, const hf_host_services* host,
                      hf_storage** storage, hf_error* error);
    /* Required. Release a handle; NULL is ignored. Never fails. */
    void (*close)(hf_storage* storage);
    /* Required. Store `length` bytes (borrowed) under `key`, atomically: a
     * reader sees the old object, or none, or the whole new one, never a part,
     * even when the process dies mid-call. The object is durable when HF_OK is
     * returned. `flags`: HF_PUT_IF_ABSENT (only honoured atomically when the
     * plugin advertises HF_STORAGE_FEATURE_PUT_IF_ABSENT). */
    hf_status (*put)(hf_storage* storage, const char* key, const void* data, size_t length,
                     uint32_t flags, hf_error* error);
    /* Required. Deliver bytes [offset, offset + length) of the object through
     * `callback`, in order, in one or more pieces; a range past the end is cut
     * at the end; an offset equal to the size reads nothing; an offset past the
     * end is HF_ERR_INVALID_ARGUMENT. Missing
     * key: HF_ERR_NOT_FOUND. length == HF_WHOLE_OBJECT reads to the end. */
    hf_status (*get)(hf_storage* storage, const char* key, uint64_t offset, uint64_t length,
                     hf_bytes_callback callback, void* callback_context, hf_error* error);
    /* Required. Deliver every object whose key starts with `prefix` ("" for
     * all), in lexicographic byte order of the key. */
    hf_status (*list)(hf_storage* storage, const char* prefix, hf_object_callback callback,
                      void* callback_context, hf_error* error);
    /* Required. Fill *info (caller sets info->struct_size) for `key`;
     * HF_ERR_NOT_FOUND when there is no such object. */
    hf_status (*stat)(hf_storage* storage, const char* key, hf_object_info* info, hf_error* error);
    /* Required. Delete `key`. Deleting a missing object succeeds (as on S3). */
    hf_status (*remove)(hf_storage* storage, const char* key, hf_error* error);
} hf_storage_functions;

#ifdef __cplusplus
} /* extern "C" */
#endif

#if defined(__LP64__) || defined(_WIN64)
HF_STATIC_ASSERT(sizeof(hf_object_info) == 24, "hf_object_info layout changed");
HF_STATIC_ASSERT(sizeof(hf_storage_functions) == 72, "hf_storage_functions layout changed");
HF_STATIC_ASSERT(offsetof(hf_storage_functions, features) == 8, "hf_storage_functions layout changed");
HF_STATIC_ASSERT(offsetof(hf_storage_functions, open) == 16, "hf_storage_functions layout changed");
HF_STATIC_ASSERT(offsetof(hf_storage_functions, remove) == 64, "hf_storage_functions layout changed");
#endif

#endif /* HOLDFAST_STORAGE_H */
