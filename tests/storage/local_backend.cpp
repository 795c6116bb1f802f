#include "local_backend.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace holdfast::testing {

temp_directory::temp_directory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "holdfast-storage-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp '" + pattern + "': " + std::strerror(errno));
    path_ = pattern;
}

temp_directory::~temp_directory() {
    std::error_code ec;
    // Tests may leave read-only directories behind; make them removable.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_directory(ec) && !it->is_symlink(ec))
            std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                         std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
}

const storage_plugin& local_plugin() { return load_storage_plugin(HOLDFAST_LOCAL_PLUGIN); }

std::string local_settings(const std::filesystem::path& root, bool create) {
    nlohmann::json settings = {{"path", root.string()}};
    if (create) settings["create"] = true;
    return settings.dump();
}

}  // namespace holdfast::testing
