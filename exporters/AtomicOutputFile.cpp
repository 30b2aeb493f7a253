#include "exporters/AtomicOutputFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <random>
#include <unistd.h>

#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {
namespace {

std::string directoryOf(const std::string& path) {
    auto dir = std::filesystem::path(path).parent_path();
    return dir.empty() ? "." : dir.string();
}

}  // namespace

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

AtomicOutputFile::AtomicOutputFile(std::string path) : _path(std::move(path)), _stream(nullptr) {
    if (_path.empty()) throw Error("the output path is empty: give a file name, or - for standard output");
    if (_path == "-") {
        std::cout.flush();  // whatever the program printed before must come first
        _buffer = std::make_unique<FdOutputBuffer>(STDOUT_FILENO);
        _stream.rdbuf(_buffer.get());
        return;
    }
    std::filesystem::path target(_path);
    if (target.filename().empty())
        throw Error(fmt::format("cannot write {}: the output path names a directory, not a file", _path));
    std::random_device rd;
    for (int attempt = 0; _fd < 0; ++attempt) {
        _tempPath = (target.parent_path() / fmt::format(".{}.tmp-{:08x}", target.filename().string(), rd())).string();
        _fd = ::open(_tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (_fd < 0 && (errno != EEXIST || attempt > 10))
            throw Error(fmt::format("cannot write {}: {} (check that the directory exists and is writable)", _path,
                                    std::strerror(errno)));
    }
    _buffer = std::make_unique<FdOutputBuffer>(_fd);
    _stream.rdbuf(_buffer.get());
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
        throw Error(fmt::format("cannot write {}: {}", isStdout() ? std::string("standard output") : _path,
                                err ? std::strerror(err) : "the output stream failed"));
    }
    if (isStdout()) {
        _finished = true;
        return;
    }
    if (::fsync(_fd) != 0) throw Error(fmt::format("cannot sync {} to disk: {}", _path, std::strerror(errno)));
    int fd = _fd;
    _fd = -1;
    if (::close(fd) != 0) throw Error(fmt::format("cannot write {}: {}", _path, std::strerror(errno)));
    _finished = true;
    _finalBytes = _buffer->bytesWritten();
    _stream.rdbuf(nullptr);
    _buffer.reset();
}

void AtomicOutputFile::commit(bool syncDir) {
    finish();
    if (isStdout() || _committed) {
        _committed = true;
        return;
    }
    if (std::rename(_tempPath.c_str(), _path.c_str()) != 0)
        throw Error(fmt::format("cannot move the finished file into place at {}: {}", _path, std::strerror(errno)));
    _committed = true;
    if (syncDir) syncDirectory(directoryOf(_path));
}

void AtomicOutputFile::discard() noexcept {
    if (isStdout()) return;
    if (_fd >= 0) {
        ::close(_fd);
        _fd = -1;
    }
    ::unlink((_committed ? _path : _tempPath).c_str());  // best effort: we are already failing
    _committed = false;
    _finished = true;
    _tempPath.clear();
}

}  // namespace okarchive
