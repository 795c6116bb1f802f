/* The ABI headers compiled as C11 with -Wall -Wextra -Wpedantic -Werror: if
 * abi.h, engine.h or storage.h stop being valid C, this file stops building.
 * It also holds a small engine written in C, driven by the C++ client helpers
 * in engine_test.cpp, to show that the two languages agree on the layout. */
#include "abi_c.h"

#include <stdlib.h>
#include <string.h>

hf_status abi_c_error_set(hf_error* error, hf_status code, const char* message) {
    return hf_error_set(error, code, message);
}

int abi_c_error_has_message(const hf_error* error) {
    return HF_HAS_FIELD(error, hf_error, message) ? 1 : 0;
}

int abi_c_object_info_has_modified(const hf_object_info* info) {
    return HF_HAS_FIELD(info, hf_object_info, modified_unix_ns) ? 1 : 0;
}

size_t abi_c_sizeof(const char* type_name) {
    static const struct {
        const char* name;
        size_t size;
    } sizes[] = {
        {"hf_error", sizeof(hf_error)},
        {"hf_host_services", sizeof(hf_host_services)},
        {"hf_init_args", sizeof(hf_init_args)},
        {"hf_plugin_descriptor", sizeof(hf_plugin_descriptor)},
        {"hf_stream_sink", sizeof(hf_stream_sink)},
        {"hf_stream_source", sizeof(hf_stream_source)},
        {"hf_engine_functions", sizeof(hf_engine_functions)},
        {"hf_object_info", sizeof(hf_object_info)},
        {"hf_storage_functions", sizeof(hf_storage_functions)},
    };
    size_t i;
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); ++i)
        if (strcmp(sizes[i].name, type_name) == 0) return sizes[i].size;
    return 0;
}

size_t abi_c_offsetof_engine_detect(void) { return offsetof(hf_engine_functions, detect); }
size_t abi_c_offsetof_engine_clone(void) { return offsetof(hf_engine_functions, clone); }

int abi_c_engine_table_has_clone(const hf_engine_functions* functions) {
    return HF_HAS_FIELD(functions, hf_engine_functions, clone) ? 1 : 0;
}
size_t abi_c_offsetof_source_seek(void) { return offsetof(hf_stream_source, seek); }
int abi_c_source_has_seek(const hf_stream_source* source) {
    return HF_HAS_FIELD(source, hf_stream_source, seek) ? 1 : 0;
}
size_t abi_c_offsetof_storage_remove(void) { return offsetof(hf_storage_functions, remove); }

/* ---- the C engine ---------------------------------------------------------- */

struct hf_engine {
    const hf_host_services* host;
};

static uint32_t last_sink_size;
static uint32_t last_source_size;
static int clones;
static int seeks;

uint32_t abi_c_last_sink_size(void) { return last_sink_size; }
uint32_t abi_c_last_source_size(void) { return last_source_size; }

static hf_status c_open(const char* settings_json, const hf_host_services* host, hf_engine** engine,
                        hf_error* error) {
    hf_engine* e;
    (void)settings_json;
    e = malloc(sizeof *e);
    if (e == NULL) return hf_error_set(error, HF_ERR_INTERNAL, "out of memory");
    e->host = host;
    *engine = e;
    return HF_OK;
}

static void c_close(hf_engine* engine) { free(engine); }

static hf_status c_probe(hf_engine* engine, hf_string_callback result, void* result_context, hf_error* error) {
    static const char json[] = "{\"reachable\":true}";
    (void)engine;
    (void)error;
    return result(result_context, json, sizeof json - 1);
}

static hf_status c_backup(hf_engine* engine, const char* options_json, const hf_stream_sink* sink,
                          hf_error* error) {
    hf_output_stream* stream = NULL;
    hf_status status;
    (void)engine;
    (void)options_json;
    last_sink_size = sink->struct_size;
    status = sink->begin_stream(sink->context, "c.data", &stream, error);
    if (status != HF_OK) return status;
    status = sink->write(stream, ABI_C_PAYLOAD, strlen(ABI_C_PAYLOAD), error);
    if (status != HF_OK) {
        hf_error ignored;
        memset(&ignored, 0, sizeof ignored);
        ignored.struct_size = sizeof ignored;
        sink->end_stream(stream, 0, &ignored); /* exactly once, also on failure */
        return status;
    }
    status = sink->end_stream(stream, 1, error);
    if (status != HF_OK) return status;
    if (HF_HAS_FIELD(sink, hf_stream_sink, set_metadata))
        return sink->set_metadata(sink->context, "{\"language\":\"C\"}", error);
    return HF_OK;
}

/* ABI 1.2: a second handle of c.data, sought to "from C", past the end, and a NULL handle. */
static hf_status c_check_seek(const hf_stream_source* source, hf_error* error) {
    static const char tail[] = "from C";
    const size_t size = strlen(ABI_C_PAYLOAD);
    char buffer[64];
    size_t got = 0;
    hf_input_stream* stream = NULL;
    hf_status status = source->open_stream(source->context, "c.data", &stream, error);
    if (status != HF_OK) return status;
    status = source->seek(stream, size - (sizeof tail - 1), error);
    if (status == HF_OK) status = source->read(stream, buffer, sizeof buffer, &got, error);
    if (status == HF_OK && (got != sizeof tail - 1 || memcmp(buffer, tail, got) != 0))
        status = hf_error_set(error, HF_ERR_CORRUPT, "a read after seek did not return the payload's end");
    if (status == HF_OK && source->seek(stream, size + 1, error) != HF_ERR_INVALID_ARGUMENT)
        status = hf_error_set(error, HF_ERR_FAILED, "a seek past the end was not refused");
    if (status == HF_OK && source->seek(NULL, 0, error) != HF_ERR_INVALID_ARGUMENT)
        status = hf_error_set(error, HF_ERR_FAILED, "a seek in a NULL handle was not refused");
    source->close_stream(stream);
    return status;
}

static hf_status c_restore(hf_engine* engine, const char* options_json, const hf_stream_source* source,
                           hf_string_callback report, void* report_context, hf_error* error) {
    static const char done[] = "{\"restored\":\"c.data\"}";
    char buffer[64];
    size_t total = 0;
    size_t got = 0;
    hf_input_stream* stream = NULL;
    hf_status status;
    (void)engine;
    (void)options_json;
    last_source_size = source->struct_size;
    status = source->open_stream(source->context, "c.data", &stream, error);
    if (status != HF_OK) return status;
    do {
        status = source->read(stream, buffer + total, sizeof buffer - total, &got, error);
        total += got;
    } while (status == HF_OK && got > 0 && total < sizeof buffer);
    source->close_stream(stream);
    if (status != HF_OK) return status;
    if (total != strlen(ABI_C_PAYLOAD) || memcmp(buffer, ABI_C_PAYLOAD, total) != 0)
        return hf_error_set(error, HF_ERR_CORRUPT, "c.data does not hold the payload");
    if (HF_HAS_FIELD(source, hf_stream_source, seek) && source->seek != NULL) {
        status = c_check_seek(source, error);
        if (status != HF_OK) return status;
        ++seeks;
    }
    return report != NULL ? report(report_context, done, sizeof done - 1) : HF_OK;
}

/* ABI 1.1: counts the clone and reports the options it was given. */
static hf_status c_clone(hf_engine* source, hf_engine* target, const char* options_json,
                         hf_string_callback report, void* report_context, hf_error* error) {
    static const char prefix[] = "{\"cloned\":";
    char text[256];
    size_t length;
    if (source == NULL || target == NULL || source == target)
        return hf_error_set(error, HF_ERR_INVALID_ARGUMENT, "clone needs two distinct engines");
    if (options_json == NULL) options_json = "{}";
    length = strlen(options_json);
    if (length + sizeof prefix + 1 > sizeof text) return hf_error_set(error, HF_ERR_INVALID_ARGUMENT, "options too long");
    memcpy(text, prefix, sizeof prefix - 1);
    memcpy(text + sizeof prefix - 1, options_json, length);
    text[sizeof prefix - 1 + length] = '}';
    ++clones;
    return report != NULL ? report(report_context, text, sizeof prefix + length) : HF_OK;
}

int abi_c_clones(void) { return clones; }
int abi_c_seeks(void) { return seeks; }

const hf_engine_functions* abi_c_engine(void) {
    static const hf_engine_functions functions = {
        sizeof(hf_engine_functions), c_open, c_close, c_probe, c_backup, c_restore, NULL, NULL, c_clone,
    };
    return &functions;
}
