#include "exporters/AtomicOutputFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "exporters/ProtectedPaths.h"
#include "exporters/StaleOutputs.h"

namespace okarchive {
namespace {

std::string directoryOf(const std::string& path) {
    auto dir = std::filesystem::path(path).parent_path();
    return dir.empty() ? "." : dir.string();
}

}  // namespace

std::string resolvedOutputPath(const std::string& path) {
    struct stat st {};
    struct stat link {};
    if (::lstat(path.c_str(), &link) != 0 || !S_ISLNK(link.st_mode) || ::stat(path.c_str(), &st) != 0 ||
        !S_ISREG(st.st_mode))
        return path;
    std::error_code ec;
    auto resolved = std::filesystem::canonical(path, ec);
    return ec ? path : resolved.string();
}

bool isSpecialFile(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

void createParentDirectories(const std::string& path) {
    std::filesystem::path prefix;
    for (const auto& component : std::filesystem::path(path).parent_path()) {
        prefix /= component;
        struct stat st {};
        if (::stat(prefix.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                throw UsageError(fmt::format("cannot write {}: {} is not a directory", path, prefix.string()));
            continue;
        }
        if (errno != ENOENT || (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST))
            throw Error(fmt::format("cannot write {}: cannot create the directory {}: {}", path, prefix.string(),
                                    std::strerror(errno)));
    }
}

void syncDirectory(const std::string& directory) {
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw Error(fmt::format("cannot open the directory {} to sync it: {}", directory, std::strerror(errno)));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL)  // some file systems cannot sync directories; the rename is still atomic
        throw Error(fmt::format("cannot sync the directory {} to disk: {}", directory, std::strerror(err)));
}

AtomicOutputFile::AtomicOutputFile(std::string path, const OutputOptions& options)
    : _path(std::move(path)), _target(_path), _options(options), _stream(nullptr) {
    if (_path.empty()) throw Error("the output path is empty: give a file name, or - for standard output");
    if (_path == "-") {
        std::cout.flush();  // whatever the program printed before must come first
        _buffer = std::make_unique<FdOutputBuffer>(STDOUT_FILENO);
        _stream.rdbuf(_buffer.get());
        return;
    }
    if (std::filesystem::path(_path).filename().empty())
        throw Error(fmt::format("cannot write {}: the output path names a directory, not a file", _path));
    if (_options.guard) _options.guard->check(_path);
    createParentDirectories(_path);
    if (!openInPlaceIfSpecial()) {
        struct stat st {};
        const bool exists = ::stat(_path.c_str(), &st) == 0;
        _target = resolvedOutputPath(_path);  // a symlink: replace the file it points to, never the link
        if (_options.sweepStale) sweepStaleOutputs(_target);
        openTemporary(exists ? static_cast<int>(st.st_mode & 07777) : _options.newFileMode);
    }
    _buffer = std::make_unique<FdOutputBuffer>(_fd, std::size_t{1} << 20, _options.cancellation);
    _stream.rdbuf(_buffer.get());
}

/// An existing target that is not a regular file (a device, a FIFO) is opened and written in place.
bool AtomicOutputFile::openInPlaceIfSpecial() {
    struct stat st {};
    if (::stat(_path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return false;
    if (S_ISDIR(st.st_mode)) throw Error(fmt::format("cannot write {}: it is a directory; give a file name", _path));
    // Not blocking in open(): a FIFO without a reader is refused at once instead of hanging beyond any signal.
    _fd = ::open(_path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (_fd < 0 && errno == ENXIO)
        throw Error(fmt::format("cannot write {}: it is a pipe that nobody reads (start its reader first)", _path));
    if (_fd < 0) throw Error(fmt::format("cannot write {}: {}", _path, std::strerror(errno)));
    _inPlace = true;  // kept non-blocking: FdOutputBuffer waits for a full FIFO until a stop comes
    return true;
}

/// Creates and locks the temporary file beside the target; `keepMode` (>= 0) is the permission bits to keep.
void AtomicOutputFile::openTemporary(int keepMode) {
    const std::filesystem::path target(_target);
    std::random_device rd;
    for (int attempt = 0; _fd < 0; ++attempt) {
        _tempPath = (target.parent_path() / temporaryNameFor(target.filename().string(), rd())).string();
        _fd = ::open(_tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (_fd < 0 && (errno != EEXIST || attempt > 10))
            throw Error(fmt::format("cannot write {}: {} (check that the directory exists and is writable)", _path,
                                    std::strerror(errno)));
        if (_fd >= 0 && !(tryLockExclusive(_fd) && isOpenFileAt(_fd, _tempPath))) closeFd();  // a sweeper took it
    }
    if (keepMode >= 0 && ::fchmod(_fd, static_cast<mode_t>(keepMode)) != 0)
        throw Error(fmt::format("cannot keep the permissions of {}: {}", _path, std::strerror(errno)));
}

void AtomicOutputFile::closeFd() {
    if (_fd >= 0) ::close(_fd);
    _fd = -1;
}

AtomicOutputFile::~AtomicOutputFile() {
    if (_committed || isStdout()) return;
    discard();
}

void AtomicOutputFile::finish() {
    if (_finished) return;
    const bool flushed = _stream.good() && _buffer->flushAll();
    if (!flushed) {
        const int err = _buffer->error();
        if (err == ECANCELED)
            throw Cancelled(fmt::format("the output to {} was stopped while its reader took no more", _path));
        if (err == EPIPE && isStdout()) throw StandardOutputClosed("standard output was closed by its reader");
        throw Error(fmt::format("cannot write {}: {}", isStdout() ? std::string("standard output") : _path,
                                err ? std::strerror(err) : "the output stream failed"));
    }
    if (!isStdout() && !_inPlace && ::fsync(_fd) != 0)
        throw Error(fmt::format("cannot sync {} to disk: {}", _path, std::strerror(errno)));
    _finished = true;
}

void AtomicOutputFile::commit(bool syncDir) {
    finish();
    if (isStdout() || _committed) {
        _committed = true;
        return;
    }
    if (!_inPlace && std::rename(_tempPath.c_str(), _target.c_str()) != 0)
        throw Error(fmt::format("cannot move the finished file into place at {}: {}", _path, std::strerror(errno)));
    _committed = true;  // from here on the target is ours: never removed
    const int fd = _fd;
    _fd = -1;
    _finalBytes = _buffer->bytesWritten();
    _stream.rdbuf(nullptr);
    _buffer.reset();
    if (::close(fd) != 0) throw Error(fmt::format("cannot write {}: {}", _path, std::strerror(errno)));
    if (_inPlace) return;
    if (syncDir) syncDirectory(directoryOf(_target));
    if (_options.sweepStale) sweepStaleOutputs(_target);
}

void AtomicOutputFile::discard() noexcept {
    if (isStdout() || _committed) return;
    closeFd();
    if (!_tempPath.empty()) ::unlink(_tempPath.c_str());  // best effort: we are already failing
    _finished = true;
    _tempPath.clear();
}

}  // namespace okarchive
