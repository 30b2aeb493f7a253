#include "store/ArchiveLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "domain/TimeFormat.h"

namespace okarchive {
namespace {

std::string readHolder(int fd) {
    std::string text;
    char buffer[512];
    ssize_t n = 0;
    off_t offset = 0;
    while ((n = ::pread(fd, buffer, sizeof buffer, offset)) > 0 && text.size() < 4096) {
        text.append(buffer, static_cast<std::size_t>(n));
        offset += n;
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    for (auto& c : text)
        if (c == '\n') c = ' ';
    return text;
}

}  // namespace

ArchiveLock::ArchiveLock(const std::string& databasePath, const std::string& what, const Env& env)
    : _path(lockPathFor(databasePath)) {
    _fd = ::open(_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (_fd < 0)
        throw StorageError(fmt::format("cannot open the lock file {}: {} (is the archive's directory writable?)", _path,
                                       std::strerror(errno)));
    if (::flock(_fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        std::string holder = error == EWOULDBLOCK ? readHolder(_fd) : std::string();
        ::close(_fd);
        _fd = -1;
        if (error != EWOULDBLOCK) throw StorageError(fmt::format("cannot lock {}: {}", _path, std::strerror(error)));
        throw ArchiveLockedError(fmt::format(
            "the archive {} is in use by another okarchive ({}); lock file {}. Stop that process first, or point "
            "archive.database at another file",
            databasePath, holder.empty() ? "holder unknown: it is still starting" : holder, _path));
    }
    const auto text = fmt::format("pid {}, {}, since {}\n", ::getpid(), what, formatIsoUtc(env.wallMs()));
    if (::ftruncate(_fd, 0) != 0 || ::pwrite(_fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
        // The lock is held all the same; only the message of a second process would be poorer.
    }
}

ArchiveLock::~ArchiveLock() {
    if (_fd < 0) return;
    [[maybe_unused]] const int ignored = ::ftruncate(_fd, 0);
    ::flock(_fd, LOCK_UN);
    ::close(_fd);
}

}  // namespace okarchive
