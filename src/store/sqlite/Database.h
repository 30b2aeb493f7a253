#pragma once

#include <cstdint>
#include <string>

#include <SQLiteCpp/Database.h>

namespace okarchive {

/// Opens (creating it if missing) the SQLite file at `path` the way the archive needs it: read-write, WAL,
/// synchronous=NORMAL, foreign keys on, 5 s busy timeout. Throws StorageError naming the file.
SQLite::Database openDatabase(const std::string& path);

}  // namespace okarchive
