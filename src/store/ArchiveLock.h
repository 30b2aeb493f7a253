#pragma once

#include <string>

#include "domain/Env.h"
#include "domain/Errors.h"

namespace okarchive {

/// Another okarchive process holds the archive (exit code 4). The message names the holder's pid and the lock file.
class ArchiveLockedError : public Error {
public:
    using Error::Error;
};

/// Single-instance guard for one archive: an exclusive flock(2) on `<database>.lock`, with the holder's pid and
/// command written into the file for the message a second process prints. The kernel drops the lock when its holder
/// exits in any way (kill -9 included), so a stale lock file is simply taken over: nothing to clean up by hand.
/// The file itself is never deleted (unlinking a flock'ed file lets two processes lock two different files).
class ArchiveLock {
public:
    /// Takes the lock or throws ArchiveLockedError (held elsewhere) / StorageError (cannot create the lock file).
    /// `what` describes the holder, e.g. "okarchive serve"; `env` dates the "since" the file tells a second process.
    ArchiveLock(const std::string& databasePath, const std::string& what, const Env& env);
    ~ArchiveLock();  ///< empties the file and releases the lock
    ArchiveLock(const ArchiveLock&) = delete;
    ArchiveLock& operator=(const ArchiveLock&) = delete;

    const std::string& path() const { return _path; }
    static std::string lockPathFor(const std::string& databasePath) { return databasePath + ".lock"; }

private:
    std::string _path;
    int _fd = -1;
};

}  // namespace okarchive
