#include "plugin_library.hpp"

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace holdfast::testing {
namespace {

void log_to_stderr(void*, hf_log_level level, const char* message) {
    if (level >= HF_LOG_WARN) std::fprintf(stderr, "[plugin] %s\n", message);
}
void ignore_progress(void*, const char*, std::uint64_t, std::uint64_t) {}

struct loaded {
    boost::dll::shared_library library;
    storage_plugin plugin;
};

[[noreturn]] void refuse(const std::filesystem::path& file, const std::string& reason) {
    throw std::runtime_error("plugin library '" + file.string() + "': " + reason);
}

loaded load(const std::filesystem::path& file) {
    loaded out;
    boost::dll::fs::error_code ec;
    out.library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) refuse(file, "cannot load: " + ec.message());
    if (!out.library.has(HF_PLUGIN_ENTRY_SYMBOL)) refuse(file, "no symbol " HF_PLUGIN_ENTRY_SYMBOL);

    const hf_plugin_descriptor* d = out.library.get<const hf_plugin_descriptor*()>(HF_PLUGIN_ENTRY_SYMBOL)();
    if (d == nullptr) refuse(file, "hf_plugin_entry returned NULL");
    if (d->struct_size < offsetof(hf_plugin_descriptor, functions) + sizeof(d->functions))
        refuse(file, "descriptor too small (" + std::to_string(d->struct_size) + " bytes)");
    if (d->magic != HF_PLUGIN_MAGIC) refuse(file, "bad descriptor magic");
    if (d->abi_major != HF_ABI_VERSION_MAJOR)
        refuse(file, "ABI major " + std::to_string(d->abi_major) + ", expected " + std::to_string(HF_ABI_VERSION_MAJOR));
    if (d->kind != HF_PLUGIN_KIND_STORAGE) refuse(file, "not a storage plugin");
    if (d->name == nullptr || d->version == nullptr) refuse(file, "descriptor without name or version");

    const auto* f = static_cast<const hf_storage_functions*>(d->functions);
    if (f == nullptr || f->struct_size < sizeof(hf_storage_functions)) refuse(file, "storage function table too small");
    if (!f->open || !f->close || !f->put || !f->get || !f->list || !f->stat || !f->remove)
        refuse(file, "a required storage function is NULL");

    if (d->init != nullptr) {
        // The host services handed to init must outlive the process's use of
        // the plugin: a static one will do.
        static test_host init_host;
        hf_init_args args{sizeof(hf_init_args), HF_ABI_VERSION_MAJOR,
                          static_cast<std::uint16_t>(std::min<int>(HF_ABI_VERSION_MINOR, d->abi_minor)),
                          init_host.services()};
        hf_error err{};
        err.struct_size = sizeof(err);
        if (d->init(&args, &err) != HF_OK) refuse(file, std::string("init failed: ") + err.message);
    }
    out.plugin = storage_plugin{d, f};
    return out;
}

}  // namespace

test_host::test_host() {
    services_.struct_size = sizeof(services_);
    services_.context = this;
    services_.log = &log_to_stderr;
    services_.progress = &ignore_progress;
    services_.cancelled = &test_host::is_cancelled;
}

std::int32_t test_host::is_cancelled(void* context) {
    return static_cast<const test_host*>(context)->cancelled_ ? 1 : 0;
}

const storage_plugin& load_storage_plugin(const std::filesystem::path& library) {
    // Loaded once and kept until exit: a plugin's static descriptor and
    // function table must stay valid while any test uses them.
    static std::mutex mutex;
    static std::map<std::filesystem::path, loaded> libraries;
    std::lock_guard lock(mutex);
    auto it = libraries.find(library);
    if (it == libraries.end()) it = libraries.emplace(library, load(library)).first;
    return it->second.plugin;
}

}  // namespace holdfast::testing
