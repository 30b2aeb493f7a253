#include "Database.h"

#include <chrono>

#include <SQLiteCpp/Exception.h>

#include "StoreErrors.h"

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
        // FULL: each commit is fsynced, so after a power cut every committed page (and its coverage) is still
        // there and resume re-fetches at most the page in flight. A commit per page costs one fsync, far below
        // the cost of the HTTP request that fetched the page.
        db.exec("PRAGMA synchronous = FULL");
        db.exec("PRAGMA foreign_keys = ON");
        db.exec("PRAGMA cache_size = -16384");  // 16 MiB: keeps the hot index pages of a million-message chat
        return db;
    } catch (const SQLite::Exception& e) {
        throw storageError(path, "open the archive", e);
    }
}

std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace okarchive
