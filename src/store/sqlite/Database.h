#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>

namespace okarchive {

/// Opens (creating it if missing) the SQLite file at `path` the way the archive needs it: read-write, WAL,
/// synchronous=NORMAL, foreign keys on, 5 s busy timeout. Throws StorageError naming the file.
SQLite::Database openDatabase(const std::string& path);

/// Opens the existing SQLite file at `path` for reading only, leaving nothing behind that could lock a writer out:
/// `mode=ro` when SQLite may create a missing -wal/-shm (it gives them the database's owner and mode: for the owner
/// or root, of an owner-writable file), else the writer's own -wal/-shm read-only, else (no -wal: every commit is in
/// the file) `immutable=1`. Throws StorageError.
SQLite::Database openDatabaseReadOnly(const std::string& path);

/// For a connection opened `immutable=1`, which takes no lock and cannot see a writer: the database file as it was at
/// open, so a read can tell whether a writer that started meanwhile checkpointed into the file (the pages read may
/// then be torn: some from before, some from after). Does nothing for any other connection.
class ImmutableFileWatch {
public:
    ImmutableFileWatch(SQLite::Database& db, std::string path);
    /// Throws StorageError naming the archive if the file changed since the watch began.
    void check() const;

private:
    struct Stamp {
        std::uint64_t device = 0, inode = 0;
        std::int64_t size = 0, modifiedSeconds = 0, modifiedNanoseconds = 0;
        bool operator==(const Stamp&) const = default;
    };
    static std::optional<Stamp> stampOf(const std::string& path);

    std::string _path;
    std::optional<Stamp> _atOpen;  ///< set for an immutable connection only
};

}  // namespace okarchive
