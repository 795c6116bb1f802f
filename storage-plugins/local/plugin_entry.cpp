// The plugin's one exported symbol, hf_plugin_entry.
#include "local_storage.hpp"

HOLDFAST_STORAGE_PLUGIN(holdfast::local::local_storage, "local", HOLDFAST_LOCAL_VERSION,
                        HF_STORAGE_FEATURE_RANGED_GET | HF_STORAGE_FEATURE_PUT_IF_ABSENT)
