/* Functions of abi_c.c, the ABI headers used from C, for the C++ tests. */
#ifndef HOLDFAST_TESTS_SDK_ABI_C_H
#define HOLDFAST_TESTS_SDK_ABI_C_H

#include <holdfast/engine.h>
#include <holdfast/storage.h>

#ifdef __cplusplus
extern "C" {
#endif

/* hf_error_set as compiled by a C compiler. */
hf_status abi_c_error_set(hf_error* error, hf_status code, const char* message);

/* HF_HAS_FIELD evaluated in C on structs whose struct_size the caller chose. */
int abi_c_error_has_message(const hf_error* error);
int abi_c_object_info_has_modified(const hf_object_info* info);

/* sizeof() and offsetof() as a C compiler lays the structs out. */
size_t abi_c_sizeof(const char* type_name);
size_t abi_c_offsetof_engine_detect(void);
size_t abi_c_offsetof_engine_clone(void);
/* HF_HAS_FIELD(functions, hf_engine_functions, clone) evaluated in C. */
int abi_c_engine_table_has_clone(const hf_engine_functions* functions);
size_t abi_c_offsetof_storage_remove(void);
size_t abi_c_offsetof_source_seek(void);
/* HF_HAS_FIELD(source, hf_stream_source, seek) evaluated in C. */
int abi_c_source_has_seek(const hf_stream_source* source);

/* An engine written in plain C: backup writes one stream "c.data" holding
 * ABI_C_PAYLOAD and sets metadata; restore reads it back and checks it, then,
 * when the source has seek (ABI 1.2), checks a second handle's seeks and counts
 * itself; clone (ABI 1.1) counts itself and reports {"cloned": <options>}. */
#define ABI_C_PAYLOAD "hello from C"
const hf_engine_functions* abi_c_engine(void);
/* struct_size of the last sink / source the C engine was handed. */
uint32_t abi_c_last_sink_size(void);
uint32_t abi_c_last_source_size(void);
/* How many clones the C engine made; how many restores passed its seek checks. */
int abi_c_clones(void);
int abi_c_seeks(void);

#ifdef __cplusplus
}
#endif

#endif
