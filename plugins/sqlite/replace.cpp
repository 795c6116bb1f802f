#include "replace.hpp"

#include "files.hpp"

#include <holdfast/plugin/common.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;
namespace fs = std::filesystem;

namespace {

// Files SQLite keeps next to a database. A -wal or hot -journal holds changes
// that belong to the *old* file: left next to the new one, SQLite would replay
// them into it and corrupt it. -shm is only an index of the -wal.
constexpr std::array<const char*, 2> journals_with_data = {"-wal", "-journal"};
constexpr std::array<const char*, 3> all_journals = {"-wal", "-journal", "-shm"};

fs::path with_suffix(const fs::path& file, const char* suffix) { return fs::path(file.string() + suffix); }

bool present(const fs::path& file) {
    struct stat st {};
    return ::lstat(file.c_str(), &st) == 0;
}

bool links_unsupported(int err) {
    return err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == EMLINK || err == ENOSYS || err == EXDEV;
}

// Give `existing` the extra name `name`. A hard link keeps `existing` in place;
// where the file system has none, the file is renamed (and so leaves its old name).
void keep_as(const fs::path& existing, const fs::path& name) {
    if (::link(existing.c_str(), name.c_str()) == 0) return;
    const int err = errno;
    if (!links_unsupported(err)) throw_errno("keeping " + existing.string() + " as " + name.string(), err);
    if (::rename(existing.c_str(), name.c_str()) != 0)
        throw_errno("moving " + existing.string() + " to " + name.string(), errno);
}

// The restored file takes over the old one's permissions and, when allowed, its owner.
void adopt_permissions(const fs::path& from, const scratch_file& to) {
    struct stat st {};
    if (::stat(from.c_str(), &st) != 0) return;  // no old file: keep 0600
    if (::chmod(to.path().c_str(), st.st_mode & 07777) != 0)
        throw_errno("setting permissions of " + to.path().string(), errno);
    if (::chown(to.path().c_str(), st.st_uid, st.st_gid) != 0 && errno != EPERM) {
        throw_errno("setting the owner of " + to.path().string(), errno);
    }
}

std::string utc_stamp() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

}  // namespace

void require_not_in_use(const fs::path& target) {
    // The lock bytes SQLite uses on every Unix (os_unix.c): PENDING_BYTE,
    // RESERVED_BYTE, then the 510-byte SHARED range. F_GETLK reports another
    // process's lock without taking one. (It cannot see locks of this process;
    // the host holds no connection to a database it restores.)
    plugin::unique_fd fd;
    try {
        fd = open_file(target, O_RDONLY, "opening " + target.string());
    } catch (const error&) {
        return;  // nothing there, or unreadable: the rename decides
    }
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 0x40000000;
    probe.l_len = 512;
    if (::fcntl(fd.get(), F_GETLK, &probe) != 0) return;  // no POSIX locks here (some network file systems)
    if (probe.l_type != F_UNLCK)
        throw error(HF_ERR_PRECONDITION, target.string() + " is in use by process " + std::to_string(probe.l_pid) +
                                             ": stop the applications using the database before restoring over it "
                                             "(or restore elsewhere with the \"target\" option)");
}

std::vector<fs::path> journals_of(const fs::path& target) {
    std::vector<fs::path> found;
    for (const char* suffix : all_journals)
        if (present(with_suffix(target, suffix))) found.push_back(with_suffix(target, suffix));
    return found;
}

fs::path previous_name(const fs::path& target) {
    const std::string base = target.string() + ".pre-restore-" + utc_stamp();
    for (int n = 1; n < 1000; ++n) {
        fs::path candidate = n == 1 ? fs::path(base) : fs::path(base + "-" + std::to_string(n));
        bool taken = present(candidate);
        for (const char* suffix : all_journals) taken = taken || present(with_suffix(candidate, suffix));
        if (!taken) return candidate;
    }
    throw error(HF_ERR_ALREADY_EXISTS, "cannot find a free name for the previous copy of " + target.string());
}

replacement replace_database(scratch_file& copy, const fs::path& target, bool keep_previous) {
    replacement done;
    const bool target_exists = present(target);
    adopt_permissions(target, copy);

    // 1. Keep the old database (and the journal holding its latest commits)
    //    under a new name. With hard links the target name stays valid.
    if (keep_previous && target_exists) {
        fs::path previous = previous_name(target);
        keep_as(target, previous);
        for (const char* suffix : journals_with_data)
            if (present(with_suffix(target, suffix))) keep_as(with_suffix(target, suffix), with_suffix(previous, suffix));
        done.previous = previous;
    }
    // 2. Take the old journals away before the new file appears, never after:
    //    in between, a reader sees the old file without its newest commits,
    //    which is harmless; the other order would replay them into the new
    //    file. They are renamed aside first and deleted only once the new file
    //    is in place, so a failed rename can put them back.
    std::vector<std::pair<fs::path, fs::path>> aside;  // {journal, its temporary name}
    auto put_back = [&]() noexcept {
        for (const auto& [journal, parked] : aside) ::rename(parked.c_str(), journal.c_str());
    };
    try {
        for (const char* suffix : all_journals) {
            fs::path journal = with_suffix(target, suffix);
            if (!present(journal)) continue;
            fs::path parked = with_suffix(copy.path(), (std::string(".old") + suffix).c_str());
            if (::rename(journal.c_str(), parked.c_str()) != 0) throw_errno("moving " + journal.string() + " aside", errno);
            aside.emplace_back(journal, parked);
        }
        // 3. One atomic rename puts the checked copy in place.
        if (::rename(copy.path().c_str(), target.c_str()) != 0)
            throw_errno("renaming the restored copy to " + target.string(), errno);
    } catch (...) {
        put_back();
        throw;
    }
    copy.release();
    for (const auto& [journal, parked] : aside) {
        ::unlink(parked.c_str());
        done.removed.push_back(journal);
    }
    sync_directory(target.parent_path());
    return done;
}

}  // namespace holdfast::engines::sqlite
