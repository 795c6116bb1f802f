/*
 * holdfast plugin ABI: the parts shared by every plugin kind.
 *
 * This header is plain C11 so that a plugin built by any compiler, against any
 * standard library, can be loaded by the host. Rules that hold for every type in
 * the SDK:
 *
 *  - Every struct begins with `uint32_t struct_size`, set by whoever fills the
 *    struct to sizeof() as that side compiled it. Fields are only ever appended.
 *    A reader never reads past the size the other side declared; use
 *    HF_HAS_FIELD() before touching a field added in a later minor version.
 *  - Strings are UTF-8, NUL-terminated, and borrowed: valid only for the duration
 *    of the call that passes them. Copy what you keep.
 *  - Memory is freed by the side that allocated it. Opaque handles (hf_engine,
 *    hf_storage, streams) are released through the function of the side that
 *    created them.
 *  - Every function that can fail returns an hf_status and, on failure, fills
 *    the caller-owned hf_error. No C++ exception may cross the boundary.
 *  - Results longer than a fixed field come back through a callback
 *    (hf_string_callback and friends), called zero or more times during the call.
 */
#ifndef HOLDFAST_ABI_H
#define HOLDFAST_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions ------------------------------------------------------------ */

/* A plugin whose major version differs from the host's is refused. The minor
 * version in use is min(host minor, plugin minor): each side must only use
 * fields and functions that exist in that minor version. */
#define HF_ABI_VERSION_MAJOR 1
#define HF_ABI_VERSION_MINOR 2

/* First field after struct_size of hf_plugin_descriptor: "HFPL". */
#define HF_PLUGIN_MAGIC 0x4c504648u

/* Maximum bytes of an error message, including the terminating NUL. */
#define HF_ERROR_MESSAGE_MAX 1024

/* A cast that is clean both in C and in C++ with -Wold-style-cast. */
#ifdef __cplusplus
#define HF_CAST(type, expr) (static_cast<type>(expr))
#else
#define HF_CAST(type, expr) ((type)(expr))
#endif

/* True when a struct filled by the other side is large enough to contain
 * `field`. `ptr` must be a non-NULL pointer to a struct beginning with
 * struct_size. */
#define HF_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(HF_CAST(type*, 0)->field))

/* Symbol visibility for the one exported entry point. */
#if defined(_WIN32)
#define HF_EXPORT __declspec(dllexport)
#else
#define HF_EXPORT __attribute__((visibility("default")))
#endif

/* ---- status and errors --------------------------------------------------- */

/* Status codes. Values are fixed forever; new ones are only appended. */
typedef int32_t hf_status;
enum {
    HF_OK = 0,
    HF_ERR_FAILED = 1,           /* failure that fits no other code */
    HF_ERR_INVALID_ARGUMENT = 2, /* bad settings, options, key or name */
    HF_ERR_NOT_FOUND = 3,        /* object, stream, database or file absent */
    HF_ERR_ALREADY_EXISTS = 4,   /* e.g. put with HF_PUT_IF_ABSENT */
    HF_ERR_IO = 5,               /* read/write/network I/O failed */
    HF_ERR_NO_SPACE = 6,         /* storage or disk full */
    HF_ERR_PERMISSION = 7,       /* access denied, authentication failed */
    HF_ERR_CONNECTION = 8,       /* server unreachable or connection lost */
    HF_ERR_CORRUPT = 9,          /* data failed an integrity check */
    HF_ERR_UNSUPPORTED = 10,     /* optional operation this plugin lacks */
    HF_ERR_CANCELLED = 11,       /* the host's cancellation check said stop */
    HF_ERR_VERSION = 12,         /* incompatible version (ABI, server, tool) */
    HF_ERR_INTERNAL = 13,        /* a bug: an unexpected exception, say */
    HF_ERR_PRECONDITION = 14     /* a pre-flight check refused the operation */
};

/* Caller-owned error detail. The caller sets struct_size and zeroes the rest;
 * the callee writes code and a one-line message (no trailing newline) when it
 * returns a status other than HF_OK. */
typedef struct hf_error {
    uint32_t struct_size;
    hf_status code;
    char message[HF_ERROR_MESSAGE_MAX];
} hf_error;

/* Fill `error` (which may be NULL) with `code` and a copy of `message`,
 * truncated on a UTF-8 character boundary. Returns `code`, so a plugin can write
 * `return hf_error_set(err, HF_ERR_IO, "disk full");`. */
static inline hf_status hf_error_set(hf_error* error, hf_status code, const char* message) {
    if (error != NULL && error->struct_size >= offsetof(hf_error, code) + sizeof(error->code)) {
        error->code = code;
    }
    if (error != NULL && error->struct_size >= offsetof(hf_error, message) + 1) {
        size_t cap = HF_CAST(size_t, error->struct_size) - offsetof(hf_error, message);
        size_t len = message != NULL ? strlen(message) : 0;
        if (cap > HF_ERROR_MESSAGE_MAX) cap = HF_ERROR_MESSAGE_MAX;
        if (len >= cap) {
            len = cap - 1;
            /* back off UTF-8 continuation bytes so the cut is on a boundary */
            while (len > 0 && (HF_CAST(unsigned char, message[len]) & 0xC0u) == 0x80u) --len;
        }
        if (len > 0) memcpy(error->message, message, len);
        error->message[len] = '\0';
    }
    return code;
}

/* ---- callbacks ----------------------------------------------------------- */

/* Receives one complete UTF-8 string (often a JSON document) of `length` bytes;
 * `data` is borrowed for the call. Returning anything but HF_OK asks the caller
 * to stop and return that status. */
typedef hf_status (*hf_string_callback)(void* context, const char* data, size_t length);

/* ---- host services ------------------------------------------------------- */

typedef int32_t hf_log_level;
enum {
    HF_LOG_TRACE = 0,
    HF_LOG_DEBUG = 1,
    HF_LOG_INFO = 2,
    HF_LOG_WARN = 3,
    HF_LOG_ERROR = 4
};

/* Services the host hands to every plugin. The struct and its context are
 * owned by the host and stay valid until the plugin object they were given with
 * is closed (for init: until the process exits). Every function may be called
 * from any thread. */
typedef struct hf_host_services {
    uint32_t struct_size;
    void* context; /* pass back as the first argument of every function below */
    /* Log one line (no trailing newline). Never log secrets. */
    void (*log)(void* context, hf_log_level level, const char* message);
    /* Report progress of the current phase ("dump", "restore", ...).
     * `total` is 0 when unknown. Cheap; call as often as is convenient. */
    void (*progress)(void* context, const char* phase, uint64_t done, uint64_t total);
    /* Non-zero when the user asked to stop. A long operation checks this
     * regularly and then returns HF_ERR_CANCELLED after cleaning up. */
    int32_t (*cancelled)(void* context);
} hf_host_services;

/* ---- the plugin descriptor ----------------------------------------------- */

typedef uint32_t hf_plugin_kind;
enum { HF_PLUGIN_KIND_ENGINE = 1, HF_PLUGIN_KIND_STORAGE = 2 };

/* What the host passes to the plugin's init. */
typedef struct hf_init_args {
    uint32_t struct_size;
    uint16_t abi_major;               /* equal to the plugin's */
    uint16_t abi_minor;               /* negotiated: min(host, plugin) */
    const hf_host_services* host;     /* valid until the process exits */
} hf_init_args;

/* Returned by hf_plugin_entry; lives in the plugin's static storage and must
 * stay valid and unchanged while the library is loaded. */
typedef struct hf_plugin_descriptor {
    uint32_t struct_size;
    uint32_t magic;          /* HF_PLUGIN_MAGIC */
    uint16_t abi_major;      /* HF_ABI_VERSION_MAJOR the plugin was built with */
    uint16_t abi_minor;      /* HF_ABI_VERSION_MINOR the plugin was built with */
    hf_plugin_kind kind;     /* must match the manifest's kind */
    const char* name;        /* must match the manifest's name */
    const char* version;     /* the plugin's own version, e.g. "1.2.0" */
    /* Optional (NULL allowed). Called once, after version negotiation and
     * before any other function of this plugin. A failure makes the host mark
     * the plugin unusable and report error->message. */
    hf_status (*init)(const hf_init_args* args, hf_error* error);
    /* const hf_engine_functions* for engines, const hf_storage_functions* for
     * storage plugins. Static storage, like the descriptor. */
    const void* functions;
} hf_plugin_descriptor;

/* The one symbol a plugin exports. Must not fail and must not allocate;
 * it returns a pointer to the plugin's static descriptor. */
typedef const hf_plugin_descriptor* (*hf_plugin_entry_fn)(void);
#define HF_PLUGIN_ENTRY_SYMBOL "hf_plugin_entry"

#ifdef __cplusplus
} /* extern "C" */
#endif

/* Pin the layout on the platforms we build for, so an accidental change to a
 * released struct fails the build instead of corrupting a plugin's memory. */
#ifdef __cplusplus
#define HF_STATIC_ASSERT static_assert
#else
#define HF_STATIC_ASSERT _Static_assert
#endif
#if defined(__LP64__) || defined(_WIN64)
HF_STATIC_ASSERT(sizeof(hf_error) == 1032, "hf_error layout changed");
HF_STATIC_ASSERT(offsetof(hf_error, message) == 8, "hf_error layout changed");
HF_STATIC_ASSERT(sizeof(hf_host_services) == 40, "hf_host_services layout changed");
HF_STATIC_ASSERT(offsetof(hf_host_services, cancelled) == 32, "hf_host_services layout changed");
HF_STATIC_ASSERT(sizeof(hf_init_args) == 16, "hf_init_args layout changed");
HF_STATIC_ASSERT(offsetof(hf_init_args, host) == 8, "hf_init_args layout changed");
HF_STATIC_ASSERT(sizeof(hf_plugin_descriptor) == 48, "hf_plugin_descriptor layout changed");
HF_STATIC_ASSERT(offsetof(hf_plugin_descriptor, magic) == 4, "hf_plugin_descriptor layout changed");
HF_STATIC_ASSERT(offsetof(hf_plugin_descriptor, abi_major) == 8, "hf_plugin_descriptor layout changed");
HF_STATIC_ASSERT(offsetof(hf_plugin_descriptor, kind) == 12, "hf_plugin_descriptor layout changed");
HF_STATIC_ASSERT(offsetof(hf_plugin_descriptor, name) == 16, "hf_plugin_descriptor layout changed");
HF_STATIC_ASSERT(offsetof(hf_plugin_descriptor, init) == 32, "hf_plugin_descriptor layout changed");
HF_STATIC_ASSERT(offsetof(hf_plugin_descriptor, functions) == 40, "hf_plugin_descriptor layout changed");
#endif

#endif /* HOLDFAST_ABI_H */
