#pragma once

#include <cstdint>
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

}  // namespace okarchive
