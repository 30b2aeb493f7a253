#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "media/Sha256.h"

namespace okarchive {

/// How a stored file compares with what the ledger says of it.
enum class MediaFileCheck { Intact, Missing, WrongSize, WrongHash };

/// The content-addressed media directory: every saved file lives at sha256/ab/cd/<64 hex> (mediaStorePath) under
/// its SHA-256, written once, never partial under that name. Temporary files (".tmp-*" in the top directory) are all a
/// crash can leave; sweepTemporaries removes them. Thread-safe.
class MediaStore {
public:
    /// Creates `directory` (0750) if missing; throws StorageError naming it when it cannot be made or written.
    explicit MediaStore(std::string directory);

    const std::string& directory() const { return _directory; }
    /// The absolute path of the file with this hash (whether or not it exists); throws StorageError when `sha256Hex`
    /// is not 64 lower-case hex digits (nothing else may name a path under the directory).
    std::string pathOf(const std::string& sha256Hex) const;
    /// Whether a file of this hash and size is in place (size checked, content not re-hashed).
    bool holds(const std::string& sha256Hex, std::int64_t bytes) const;
    /// Re-hashes the file: the whole check `media verify` makes.
    MediaFileCheck check(const std::string& sha256Hex, std::int64_t bytes) const;
    /// Removes temporary files left by interrupted downloads (of any process not running now, or older than an hour);
    /// returns how many.
    int sweepTemporaries();

private:
    std::string _directory;
};

/// One file on its way into a MediaStore: a temporary file ".tmp-<pid>-<process mark>-<random>" (O_EXCL, 0640) in the
/// store's top directory, hashed as it is written, until commit() renames it under its SHA-256. Destroyed uncommitted
/// (a failed or cancelled download) it removes the temporary file. Not thread-safe (one per download).
class MediaStoreWrite {
public:
    explicit MediaStoreWrite(const MediaStore& store);  ///< creates the temporary file; throws StorageError
    ~MediaStoreWrite();
    MediaStoreWrite(const MediaStoreWrite&) = delete;
    MediaStoreWrite& operator=(const MediaStoreWrite&) = delete;

    /// Appends bytes; throws StorageError (disk full...) naming the file.
    void append(const char* data, std::size_t size);
    std::int64_t bytes() const { return _bytes; }
    /// Fsyncs the file, creates sha256/ab/cd, renames the file there (or drops it when an intact file of that hash is
    /// in place already; a damaged one is replaced) and fsyncs the directory. Returns the SHA-256 (lower-case hex).
    /// Throws StorageError.
    std::string commit();

private:
    void discard();

    const MediaStore& _store;
    std::string _tempPath;
    int _fd = -1;
    std::int64_t _bytes = 0;
    Sha256 _hash;
};

}  // namespace okarchive
