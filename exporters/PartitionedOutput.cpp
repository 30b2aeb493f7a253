#include "exporters/PartitionedOutput.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "exporters/ProtectedPaths.h"
#include "exporters/StaleOutputs.h"

namespace okarchive {
PartitionedOutput::PartitionedOutput(PartNaming naming, const OutputOptions& options, PartIndexFormat index,
                                     PartIndex about)
    : _naming(std::move(naming)), _options(options), _indexFormat(index), _index(std::move(about)) {
    if (_naming.partitioned() && _naming.basePath() == "-")
        throw UsageError("standard output (-) holds one file: --partition needs a file path as --output");
    if (!_naming.partitioned()) return;
    if (_options.guard) _options.guard->check(_naming.basePath());
    createParentDirectories(_naming.basePath());
    struct stat st {};
    if (::stat(_naming.basePath().c_str(), &st) == 0 && S_ISREG(st.st_mode))  // the parts are as private as it
        _options.newFileMode = static_cast<int>(st.st_mode & 0777);
    createGeneration();
}

/// A fresh ".NAME.parts-GEN" directory, locked; a sweeper that removed it before the lock was taken makes it retry.
void PartitionedOutput::createGeneration() {
    const std::filesystem::path base(_naming.basePath());
    std::random_device rd;
    for (int attempt = 0; _generationFd < 0; ++attempt) {
        const auto generation = (static_cast<unsigned long long>(rd()) << 32) | rd();
        _naming.setGenerationDirectory(generationNameFor(base.filename().string(), generation));
        const auto dir = _naming.generationPath();
        if (::mkdir(dir.c_str(), 0777) != 0) {
            if (errno == EEXIST && attempt < 10) continue;
            throw Error(fmt::format("cannot write {}: cannot create the directory {} for its parts: {}",
                                    _naming.basePath(), dir, std::strerror(errno)));
        }
        _generationFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (_generationFd >= 0 && ::flock(_generationFd, LOCK_EX) == 0 && isOpenFileAt(_generationFd, dir)) {
            keepGenerationPrivate();
            break;
        }
        if (_generationFd >= 0) ::close(_generationFd);
        _generationFd = -1;
        if (attempt > 10) throw Error(fmt::format("cannot write {}: cannot lock {}", _naming.basePath(), dir));
    }
    _index.generation = _naming.generationDirectory();
}

/// A set replacing a file gets its permission bits on the parts, and on the directory (searchable where readable).
void PartitionedOutput::keepGenerationPrivate() {
    const int mode = _options.newFileMode;
    if (mode < 0 || ::fchmod(_generationFd, static_cast<mode_t>(mode | ((mode & 0444) >> 2))) == 0) return;
    const int err = errno;
    ::close(_generationFd);  // the constructor fails: nothing destroys this object
    _generationFd = -1;
    std::error_code ec;
    std::filesystem::remove_all(_naming.generationPath(), ec);
    throw Error(fmt::format("cannot keep the permissions of {} on {}: {}", _naming.basePath(), _naming.generationPath(),
                            std::strerror(err)));
}

PartitionedOutput::~PartitionedOutput() {
    _current.reset();  // an unfinished part removes its temporary file
    if (_generationFd < 0) return;
    if (!_committed) {
        std::error_code ec;
        std::filesystem::remove_all(_naming.generationPath(), ec);
    }
    ::close(_generationFd);
}

void PartitionedOutput::closeCurrentPart() {
    if (!_current) return;
    _current->commit(false);  // into the generation directory, which nothing references yet
    _closedBytes += _current->bytesWritten();
    _current.reset();
}

std::ostream& PartitionedOutput::openPart() {
    if (!_naming.partitioned() && !_parts.empty())
        throw Error(fmt::format("internal error: a second part was requested for the unpartitioned output {}",
                                _naming.basePath()));
    if (_naming.partitioned()) closeCurrentPart();  // one open file at a time
    _parts.push_back(_naming.path(_parts.size() + 1));
    OutputOptions options = _options;
    options.sweepStale = !_naming.partitioned();  // a fresh generation directory has nothing stale
    _current = std::make_unique<AtomicOutputFile>(_parts.back(), options);
    _index.parts.push_back({_naming.indexLink(_parts.size()), 0, 0, 0});
    return _current->stream();
}

void PartitionedOutput::noteMessage(std::int64_t timestampMs) {
    auto& part = _index.parts.back();
    if (part.messages++ == 0) part.firstMs = timestampMs;
    part.lastMs = timestampMs;
}

std::uint64_t PartitionedOutput::currentPartBytes() const { return _current ? _current->bytesWritten() : 0; }

void PartitionedOutput::commit() {
    if (!_naming.partitioned()) {
        if (_current) _current->commit();
        _committed = true;
        return;
    }
    closeCurrentPart();
    syncDirectory(_naming.generationPath());
    AtomicOutputFile index(_naming.basePath(), _options);
    const auto text = partIndexText(_index, _indexFormat);
    index.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
    index.commit();  // the commit point; its sweep removes the generations the new index does not name
    _committed = true;
}

std::vector<std::string> PartitionedOutput::paths() const { return _parts; }

}  // namespace okarchive
