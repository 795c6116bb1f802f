#include "listing.hpp"

#include "errors.hpp"
#include "object_info.hpp"
#include "object_key.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <vector>

namespace holdfast::local {
namespace {

struct directory_stream_closer {
    void operator()(DIR* stream) const noexcept { ::closedir(stream); }
};
using directory_stream = std::unique_ptr<DIR, directory_stream_closer>;

struct entry {
    // A directory sorts as "name/": every key below it continues with '/'.
    // Sorting siblings that way makes a depth-first walk emit keys in global
    // byte order ("a.b" < "a/c" < "a0").
    std::string sort_name;
    bool is_directory = false;
    plugin::object_info info;

    std::string_view name() const {
        return is_directory ? std::string_view(sort_name).substr(0, sort_name.size() - 1) : sort_name;
    }
};

class lister {
public:
    lister(std::string_view prefix, const plugin::object_callback& each, const plugin::host_services& host)
        : prefix_(prefix), each_(each), host_(host) {}

    // `dir` holds the keys starting with `key_prefix` ("" or "a/b/").
    void walk(directory dir, const std::string& key_prefix) {
        host_.throw_if_cancelled();
        DIR* raw = ::fdopendir(dir.fd.get());
        if (raw == nullptr) throw_errno("unable to list directory " + quote(dir.path), errno);
        dir.fd.release();  // the stream owns the descriptor now
        directory_stream stream(raw);

        std::vector<entry> entries = read_entries(stream.get(), dir.path, key_prefix);
        std::sort(entries.begin(), entries.end(),
                  [](const entry& a, const entry& b) { return a.sort_name < b.sort_name; });

        for (const entry& e : entries) {
            std::string key = key_prefix;
            key += e.name();
            if (!e.is_directory) {
                each_(key, e.info);
                continue;
            }
            const std::string name(e.name());
            int fd = ::openat(::dirfd(stream.get()), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                // Removed or replaced since we read the directory: nothing to list there.
                if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) continue;
                throw_errno("unable to open directory " + quote(dir.child(name)), errno);
            }
            walk(directory{file_descriptor(fd), dir.child(name)}, key + '/');
        }
    }

private:
    bool may_hold_matches(std::string_view directory_key) const {
        return directory_key.starts_with(prefix_) || prefix_.starts_with(directory_key);
    }

    std::vector<entry> read_entries(DIR* stream, const std::string& path, const std::string& key_prefix) const {
        std::vector<entry> entries;
        for (;;) {
            errno = 0;
            const dirent* d = ::readdir(stream);
            if (d == nullptr) {
                if (errno != 0) throw_errno("unable to read directory " + quote(path), errno);
                return entries;
            }
            const std::string_view name = d->d_name;
            if (name == "." || name == "..") continue;
            const std::string key = key_prefix + std::string(name);

            bool is_directory = d->d_type == DT_DIR;
            if (d->d_type != DT_DIR && d->d_type != DT_REG && d->d_type != DT_UNKNOWN) continue;
            if (d->d_type == DT_REG && (is_temp_name(name) || !std::string_view(key).starts_with(prefix_))) continue;

            struct stat st {};
            if (!is_directory) {
                // Size and time for the listing; also the type when d_type
                // is unknown (some file systems do not fill it in).
                if (::fstatat(::dirfd(stream), d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
                    if (errno == ENOENT) continue;  // removed meanwhile
                    throw_errno("unable to inspect " + quote(path + "/" + d->d_name), errno);
                }
                is_directory = S_ISDIR(st.st_mode);
                if (!is_directory && !S_ISREG(st.st_mode)) continue;
            }
            if (is_directory) {
                if (may_hold_matches(key + '/')) entries.push_back(entry{std::string(name) + '/', true, {}});
                continue;
            }
            if (is_temp_name(name) || !std::string_view(key).starts_with(prefix_) || !plugin::valid_key(key)) continue;
            entries.push_back(entry{std::string(name), false, object_info_of(st)});
        }
    }

    std::string_view prefix_;
    const plugin::object_callback& each_;
    const plugin::host_services& host_;
};

}  // namespace

void list_objects(const root_directory& root, std::string_view prefix, const plugin::object_callback& each,
                  const plugin::host_services& host) {
    lister(prefix, each, host).walk(root.open_root(), std::string());
}

}  // namespace holdfast::local
