#include "Database.h"

#include <SQLiteCpp/Exception.h>

#include "store/StoreErrors.h"

namespace okarchive {
namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

SQLite::Database openDatabase(const std::string& path) {
    try {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
        // Reading the journal mode is the first access to the file: a file that is not a database fails here.
        std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
        if (mode != "wal" && path != ":memory:") {
            throw storageError(path, "open the archive",
                               "the file system refused write-ahead logging (journal_mode stays '" + mode + "')",
                               "Put the archive on a local disk (network file systems cannot share WAL memory).");
        }
        // NORMAL (in WAL mode): a commit survives any crash of the process at once; after a power cut the last
        // commits before the WAL's next sync may be gone. That is safe here because a page and the coverage it
        // proves live in the same transaction: what vanishes is simply not covered, and the next run fetches it
        // again. FULL would fsync every page (a commit per 100 messages), which measured 10x slower on loopback.
        db.exec("PRAGMA synchronous = NORMAL");
        db.exec("PRAGMA foreign_keys = ON");
        db.exec("PRAGMA cache_size = -16384");  // 16 MiB: keeps the hot index pages of a million-message chat
        return db;
    } catch (const SQLite::Exception& e) {
        throw storageError(path, "open the archive", e);
    }
}

}  // namespace okarchive
