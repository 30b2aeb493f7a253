#pragma once

#include <string>

#include "domain/Errors.h"

namespace SQLite {
class Exception;
}

namespace okarchive {

/// A read-only open met an archive of an older schema (it cannot be upgraded without writing).
class ArchiveSchemaBehind : public StorageError {
public:
    using StorageError::StorageError;
};

/// A StorageError for a failed SQLite call: names the database file, what okarchive was doing, SQLite's reason, and
/// what the operator can do about it (derived from the SQLite error code).
StorageError storageError(const std::string& path, const std::string& action, const SQLite::Exception& error);

/// A StorageError for a problem okarchive itself detected: "archive PATH: cannot ACTION: REASON. HINT".
StorageError storageError(const std::string& path, const std::string& action, const std::string& reason,
                          const std::string& hint);

/// Throws a StorageError naming `path` and `action` unless `path` is a regular file or absent: SQLite calls a
/// directory a disk I/O error (sending the admin to fsck), and a FIFO blocks whoever opens it for ever.
void requireArchiveFileType(const std::string& path, const std::string& action);

}  // namespace okarchive
