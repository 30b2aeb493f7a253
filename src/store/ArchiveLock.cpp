#include "store/ArchiveLock.h"

#include "store/StoreErrors.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace okarchive {
namespace {

/// The pid of the process holding a flock on the inode `inode`, from /proc/locks, or 0.
long flockHolder(ino_t inode) {
    std::ifstream locks("/proc/locks");
    for (std::string line; std::getline(locks, line);) {
        std::istringstream fields(line);
        std::string number, kind, mode, access, device;
        long pid = 0;
        if (!(fields >> number >> kind >> mode >> access >> pid >> device) || kind != "FLOCK") continue;
        const auto colon = device.rfind(':');  // MAJOR:MINOR:INODE (the device may be overlayfs' real one)
        if (colon != std::string::npos && device.substr(colon + 1) == std::to_string(inode)) return pid;
    }
    return 0;
}

/// "okarchive serve" from the holder's command line: its program name and the first word that can be a command
/// (lower-case letters only, so no option value, path or token is ever shown).
std::string commandOf(long pid) {
    std::ifstream in(fmt::format("/proc/{}/cmdline", pid));
    std::vector<std::string> words;
    for (std::string word; std::getline(in, word, '\0');) words.push_back(word);
    if (words.empty()) return {};
    auto name = words.front().substr(words.front().rfind('/') + 1);
    for (std::size_t i = 1; i < words.size(); ++i)
        if (words[i].size() <= 12 && !words[i].empty() &&
            words[i].find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos)
            return name + " " + words[i];
    return name;
}

std::string describeHolder(int fd) {
    struct stat st {};
    const long pid = ::fstat(fd, &st) == 0 ? flockHolder(st.st_ino) : 0;
    if (pid == 0) return "holder unknown";
    const auto command = commandOf(pid);
    return command.empty() ? fmt::format("pid {}", pid) : fmt::format("pid {}, {}", pid, command);
}

/// Whether `path` still names the file open as `fd` (it was not replaced between opening and locking).
bool stillNamed(const std::string& path, int fd) {
    struct stat named {
    }, open{};
    return ::stat(path.c_str(), &named) == 0 && ::fstat(fd, &open) == 0 && named.st_dev == open.st_dev &&
           named.st_ino == open.st_ino;
}

}  // namespace

ArchiveLock::ArchiveLock(const std::string& databasePath, IfMissing missing) {
    const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (missing == IfMissing::Create ? O_CREAT : 0);
    requireArchiveFileType(databasePath, "lock it");  // a FIFO would block the open below for ever
    for (int attempt = 0; attempt < 5; ++attempt) {
        _fd = ::open(databasePath.c_str(), flags, 0644);
        if (_fd < 0 && errno == ENOENT && missing == IfMissing::Skip) return;  // no archive: nothing to guard
        if (_fd < 0)
            throw StorageError(fmt::format("archive {}: cannot open it to lock it: {} (is its directory writable?)",
                                           databasePath, std::strerror(errno)));
        if (::flock(_fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            const auto holder = error == EWOULDBLOCK ? describeHolder(_fd) : std::string();
            ::close(_fd);
            _fd = -1;
            if (error != EWOULDBLOCK)
                throw StorageError(fmt::format("archive {}: cannot lock it: {}", databasePath, std::strerror(error)));
            throw ArchiveLockedError(
                fmt::format("the archive {} is in use by another okarchive ({}). Stop that process first, or point "
                            "archive.database at another file",
                            databasePath, holder));
        }
        if (stillNamed(databasePath, _fd)) return;
        ::close(_fd);  // replaced (or removed) meanwhile: lock what the path names now
        _fd = -1;
    }
    throw StorageError(fmt::format("archive {}: cannot lock it: the file keeps being replaced", databasePath));
}

ArchiveLock::~ArchiveLock() {
    if (_fd < 0) return;
    ::flock(_fd, LOCK_UN);
    ::close(_fd);
}

}  // namespace okarchive
