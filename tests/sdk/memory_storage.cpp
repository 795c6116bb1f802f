// A storage plugin that keeps objects in memory, written with the SDK's C++
// helpers and built like any plugin (holdfast_add_plugin: hidden visibility,
// one exported symbol). storage_test.cpp loads it with dlopen and drives it
// through holdfast::client::storage_instance. Keys under "fail/" inject errors.
#include <holdfast/plugin/storage.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace hp = holdfast::plugin;

namespace {

class memory_storage final : public hp::storage {
public:
    memory_storage(std::string_view settings_json, hp::host_services host) : host_(host) {
        if (settings_json.find("\"fail_open\"") != std::string_view::npos)
            throw hp::error(HF_ERR_INVALID_ARGUMENT, "setting 'fail_open' refuses to open");
    }

    void put(const std::string& key, std::span<const std::byte> data, std::uint32_t flags) override {
        inject(key);
        if ((flags & HF_PUT_IF_ABSENT) != 0 && objects_.contains(key))
            throw hp::error(HF_ERR_ALREADY_EXISTS, "object '" + key + "' already exists");
        // A deterministic clock: the nth put is "modified" at n microseconds.
        objects_[key] = {std::vector<std::byte>(data.begin(), data.end()), ++clock_ * 1000};
    }

    void get(const std::string& key, std::uint64_t offset, std::uint64_t length,
             const hp::bytes_callback& out) override {
        inject(key);
        const auto& data = find(key).data;
        if (offset > data.size()) throw hp::error(HF_ERR_INVALID_ARGUMENT, "offset past the end of '" + key + "'");
        const std::uint64_t end = length > data.size() - offset ? data.size() : offset + length;
        // Small pieces, so the host's reassembly is exercised.
        for (std::uint64_t at = offset; at < end; at += piece_size) {
            const std::uint64_t n = std::min<std::uint64_t>(piece_size, end - at);
            out(std::span(data).subspan(static_cast<std::size_t>(at), static_cast<std::size_t>(n)));
        }
    }

    void list(const std::string& prefix, const hp::object_callback& each) override {
        inject(prefix);
        for (auto it = objects_.lower_bound(prefix); it != objects_.end() && it->first.starts_with(prefix); ++it)
            each(it->first, info(it->second));
    }

    std::optional<hp::object_info> stat(const std::string& key) override {
        inject(key);
        auto it = objects_.find(key);
        if (it == objects_.end()) return std::nullopt;
        return info(it->second);
    }

    void remove(const std::string& key) override {
        inject(key);
        objects_.erase(key);
    }

private:
    struct object {
        std::vector<std::byte> data;
        std::int64_t modified_unix_ns = 0;
    };
    static constexpr std::uint64_t piece_size = 3;

    static hp::object_info info(const object& o) { return {o.data.size(), o.modified_unix_ns}; }

    const object& find(const std::string& key) const {
        auto it = objects_.find(key);
        if (it == objects_.end()) throw hp::error(HF_ERR_NOT_FOUND, "no object '" + key + "'");
        return it->second;
    }

    static void inject(const std::string& key) {
        if (key.starts_with("fail/io")) throw hp::error(HF_ERR_IO, "injected I/O failure on '" + key + "'");
        if (key.starts_with("fail/std")) throw std::runtime_error("injected std::runtime_error");
        if (key.starts_with("fail/int")) throw 42;  // not an exception class at all
    }

    hp::host_services host_;
    std::map<std::string, object> objects_;  // std::string orders by unsigned bytes: the ABI's order
    std::int64_t clock_ = 0;
};

}  // namespace

HOLDFAST_STORAGE_PLUGIN(memory_storage, "sdk-test-memory", "0.0.1",
                        HF_STORAGE_FEATURE_RANGED_GET | HF_STORAGE_FEATURE_PUT_IF_ABSENT)
