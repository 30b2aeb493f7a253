#include "exporters/AtomicOutputFile.h"

#include <cerrno>
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

void fsyncPath(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) throw Error(fmt::format("cannot open {} to sync it: {}", path, std::strerror(errno)));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) throw Error(fmt::format("cannot sync {} to disk: {}", path, std::strerror(err)));
}

}  // namespace

AtomicOutputFile::AtomicOutputFile(std::string path) : _path(std::move(path)) {
    if (_path == "-") return;
    std::filesystem::path target(_path);
    std::random_device rd;
    _tempPath = (target.parent_path() / fmt::format(".{}.tmp-{:08x}", target.filename().string(), rd())).string();
    _file.open(_tempPath, std::ios::binary | std::ios::trunc);
    if (!_file)
        throw Error(fmt::format("cannot write {}: {} (check that the directory exists and is writable)", _path,
                                std::strerror(errno)));
}

AtomicOutputFile::~AtomicOutputFile() {
    if (_path == "-" || _committed) return;
    _file.close();
    std::error_code ignored;  // best effort: we are already failing
    std::filesystem::remove(_tempPath, ignored);
}

std::ostream& AtomicOutputFile::stream() { return _path == "-" ? std::cout : _file; }

void AtomicOutputFile::commit() {
    if (_path == "-") {
        std::cout.flush();
        if (!std::cout) throw Error("cannot write to standard output");
        _committed = true;
        return;
    }
    _file.flush();
    if (!_file) throw Error(fmt::format("cannot write {}: {}", _path, std::strerror(errno)));
    _file.close();
    fsyncPath(_tempPath, O_RDONLY);
    if (std::rename(_tempPath.c_str(), _path.c_str()) != 0)
        throw Error(fmt::format("cannot move the finished file into place at {}: {}", _path, std::strerror(errno)));
    _committed = true;
    auto dir = std::filesystem::path(_path).parent_path();
    fsyncPath(dir.empty() ? "." : dir.string(), O_RDONLY | O_DIRECTORY);
}

}  // namespace okarchive
