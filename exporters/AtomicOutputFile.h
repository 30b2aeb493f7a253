#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "exporters/FdOutputBuffer.h"

namespace okarchive {

/// An output that appears whole or not at all: written to a temporary file beside the target (".NAME.tmp-XXXXXXXX"),
/// then flushed, fsync'ed and renamed over it. Destroyed without commit() (or after discard()), it removes the
/// temporary file. The path "-" means standard output (no atomicity there). Not thread-safe.
class AtomicOutputFile {
public:
    explicit AtomicOutputFile(std::string path);  ///< throws Error naming the path if it cannot be created
    ~AtomicOutputFile();
    AtomicOutputFile(const AtomicOutputFile&) = delete;
    AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

    std::ostream& stream() { return _stream; }
    std::uint64_t bytesWritten() const { return _buffer ? _buffer->bytesWritten() : _finalBytes; }  ///< so far

    /// Flushes, fsyncs and closes the temporary file without moving it into place yet (so many parts can be finished
    /// one by one and published together). Throws Error naming the path on any write or sync failure.
    void finish();
    /// finish() if not done yet, renames the temporary file over the target and, if `syncDirectory`, fsyncs the
    /// directory so the rename itself is durable. Throws Error naming the path.
    void commit(bool syncDirectory = true);
    /// Removes whatever this file left on disk: the temporary file, or the committed target (best effort, no throw).
    void discard() noexcept;

    const std::string& path() const { return _path; }
    bool isStdout() const { return _path == "-"; }

private:
    std::string _path;
    std::string _tempPath;
    int _fd = -1;
    std::unique_ptr<FdOutputBuffer> _buffer;
    std::ostream _stream;
    std::uint64_t _finalBytes = 0;  // once finished, the buffer is released (many parts, one buffer at a time)
    bool _finished = false;
    bool _committed = false;
};

/// fsyncs a directory so renames inside it survive a crash; throws Error naming it.
void syncDirectory(const std::string& directory);

}  // namespace okarchive
