#pragma once

#include <string>

#include "domain/Errors.h"

namespace okarchive {

/// Another okarchive process holds the archive (exit code 4). The message names the archive and the holder's pid.
class ArchiveLockedError : public Error {
public:
    using Error::Error;
};

/// Single-instance guard for one archive: an exclusive flock(2) on the database file itself, so no file can be
/// deleted from under a running holder to let a second one in, and no lock file is ever left behind. On Linux flock
/// locks are independent of the POSIX (fcntl) locks SQLite takes on the same file (not so on NFS, where SQLite's
/// WAL mode is unsupported anyway). The kernel drops the lock when its holder exits in any way (kill -9 included);
/// it follows the open file description, so a forked child keeps it. A second process learns the holder's pid and
/// command from /proc/locks.
/// Closing a descriptor of a file drops the process's POSIX locks on it: destroy the lock only after every SQLite
/// connection of this process to the archive is closed (declare it before them).
class ArchiveLock {
public:
    enum class IfMissing {
        Create,  ///< sync, serve: create the (empty) database file, which SQLite then initialises
        Skip,    ///< a command that needs an existing archive: nothing to lock, it reports the missing archive
    };

    /// Takes the lock or throws ArchiveLockedError (held elsewhere) / StorageError (cannot open the database file).
    explicit ArchiveLock(const std::string& databasePath, IfMissing missing = IfMissing::Create);
    ~ArchiveLock();  ///< releases the lock
    ArchiveLock(const ArchiveLock&) = delete;
    ArchiveLock& operator=(const ArchiveLock&) = delete;

    bool held() const { return _fd >= 0; }

private:
    int _fd = -1;
};

}  // namespace okarchive
