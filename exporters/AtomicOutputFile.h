#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "domain/Errors.h"
#include "exporters/FdOutputBuffer.h"

namespace okarchive {

class Cancellation;
class ProtectedPaths;

/// How an AtomicOutputFile treats its surroundings.
struct OutputOptions {
    const ProtectedPaths* guard = nullptr;  ///< refuse (UsageError) a target that resolves to one of these
    bool sweepStale = true;  ///< remove dead writers' temporaries and part sets of the same target (StaleOutputs.h)
    int newFileMode = -1;    ///< permission bits of a file that does not exist yet (-1: 0666 & ~umask)
    const Cancellation* cancellation = nullptr;  ///< ends a write that a device or FIFO blocks (then: Cancelled)
};

/// Standard output's reader is gone (EPIPE, as `okarchive export --output=- | head -1` closes it): nothing failed,
/// the reader took what it wanted; the command ends quietly with exit 0.
class StandardOutputClosed : public Error {
public:
    using Error::Error;
};

/// An output that appears whole or not at all: written to a temporary file beside the target (".NAME.tmp-XXXXXXXX",
/// flock'ed while it lives, so a sweeper knows its writer is alive), then flushed, fsync'ed and renamed over it,
/// keeping an existing file's permission bits (a new file gets 0666 & ~umask). A symlink to a regular file is
/// resolved: the file it points to is replaced, never the link. A target that exists and is not a regular file
/// (a character device such as /dev/null, a FIFO) is written in place: no temporary, no rename, no fsync. Missing
/// directories above the target are created first (createParentDirectories). Destroyed
/// without commit() (or after discard()), it removes the temporary file. The path "-" means standard output (no
/// atomicity there). Not thread-safe.
class AtomicOutputFile {
public:
    /// Throws Error naming the path if it cannot be created, UsageError if `options.guard` protects it.
    explicit AtomicOutputFile(std::string path, const OutputOptions& options = {});
    ~AtomicOutputFile();
    AtomicOutputFile(const AtomicOutputFile&) = delete;
    AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

    std::ostream& stream() { return _stream; }
    std::uint64_t bytesWritten() const { return _buffer ? _buffer->bytesWritten() : _finalBytes; }  ///< so far

    /// Flushes and fsyncs the temporary file without moving it into place yet. Throws Error naming the path on any
    /// write or sync failure; StandardOutputClosed when standard output's reader is gone.
    void finish();
    /// finish() if not done yet, renames the temporary file over the target, closes it and, if `syncDirectory`,
    /// fsyncs the directory so the rename itself is durable; then sweeps stale outputs of the target (if asked).
    /// Throws Error naming the path.
    void commit(bool syncDirectory = true);
    /// Removes whatever this file left on disk: its temporary file (best effort, no throw). Never the target.
    void discard() noexcept;

    const std::string& path() const { return _path; }
    bool isStdout() const { return _path == "-"; }
    bool inPlace() const { return _inPlace; }  ///< written straight into a device or FIFO

private:
    bool openInPlaceIfSpecial();
    void openTemporary(int keepMode);
    void closeFd();

    std::string _path;
    std::string _target;  // _path with a final symlink resolved
    std::string _tempPath;
    OutputOptions _options;
    int _fd = -1;
    std::unique_ptr<FdOutputBuffer> _buffer;
    std::ostream _stream;
    std::uint64_t _finalBytes = 0;  // once committed, the buffer is released (many parts, one buffer at a time)
    bool _inPlace = false;
    bool _finished = false;
    bool _committed = false;
};

/// `path`, or for a symlink to a regular file the canonical path of that file (the file an output replaces).
std::string resolvedOutputPath(const std::string& path);
/// Whether `path` exists and is neither a regular file nor a directory (a device, a FIFO): written in place.
bool isSpecialFile(const std::string& path);

/// Creates the missing directories above `path` (mode 0755 less the umask), as `mkdir -p` would. Throws UsageError
/// naming a component that exists and is not a directory, Error naming a directory that cannot be created.
void createParentDirectories(const std::string& path);

/// fsyncs a directory so renames inside it survive a crash; throws Error naming it.
void syncDirectory(const std::string& directory);

}  // namespace okarchive
