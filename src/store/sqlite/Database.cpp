#include "Database.h"

#include <atomic>
#include <filesystem>
#include <utility>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include "store/Archive.h"
#include "store/StoreErrors.h"

namespace okarchive {
namespace {

std::atomic<int> busyTimeoutMs{5000};  // setArchiveBusyTimeout

/// A file: URI naming `path` (absolute; the characters a URI reserves, controls and non-ASCII percent-encoded).
std::string fileUri(const std::string& path, const std::string& query) {
    std::string uri = "file:";
    for (const unsigned char c : std::filesystem::absolute(path).string()) {
        if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f)
            uri += fmt::format("%{:02X}", c);
        else
            uri += static_cast<char>(c);
    }
    return uri + "?" + query;
}

/// The URI parameters a reader opens `path` with. SQLite creates a missing -wal and -shm even for a read-only
/// connection, owned by the process (root's are handed to the database's owner), with the database's mode, and leaves
/// them behind. One created by another user, or from a database its owner made read-only (chmod a-w), would leave the
/// writer unable to open them later, so only the owner (or root) of an owner-writable file lets SQLite create them.
std::string readOnlyParameters(const std::string& path) {
    struct stat db {};
    const bool ownerOrRoot =
        ::stat(path.c_str(), &db) == 0 && (::geteuid() == 0 || ::geteuid() == db.st_uid) && (db.st_mode & S_IWUSR) != 0;
    const auto directory = std::filesystem::absolute(path).parent_path();
    if (ownerOrRoot && ::access(directory.c_str(), W_OK | X_OK) == 0) return "mode=ro";
    // No -wal: no connection is open and every commit is in the database file itself, which nothing changes until a
    // writer's checkpoint. Otherwise read through the writer's own -wal and -shm, never creating either.
    if (!std::filesystem::exists(path + "-wal")) return "immutable=1";
    return "mode=ro&readonly_shm=1";
}

}  // namespace

void setArchiveBusyTimeout(std::chrono::milliseconds timeout) { busyTimeoutMs = static_cast<int>(timeout.count()); }

SQLite::Database openDatabaseReadOnly(const std::string& path) {
    requireArchiveFileType(path, "open the archive read-only");
    try {
        SQLite::Database db(fileUri(path, readOnlyParameters(path)), SQLite::OPEN_READONLY | SQLite::OPEN_URI,
                            busyTimeoutMs.load());
        db.execAndGet("SELECT count(*) FROM sqlite_master");  // the first access: a file that is not a database fails
        db.exec("PRAGMA cache_size = -16384");
        return db;
    } catch (const SQLite::Exception& e) {
        throw storageError(path, "open the archive read-only", e);
    }
}

ImmutableFileWatch::ImmutableFileWatch(SQLite::Database& db, std::string path) : _path(std::move(path)) {
    if (sqlite3_uri_boolean(sqlite3_db_filename(db.getHandle(), "main"), "immutable", 0)) _atOpen = stampOf(_path);
}

std::optional<ImmutableFileWatch::Stamp> ImmutableFileWatch::stampOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return Stamp{st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
}

void ImmutableFileWatch::check() const {
    if (!_atOpen || stampOf(_path) == _atOpen) return;
    throw StorageError(fmt::format(
        "archive {}: a writer changed the file while it was read without a -shm (immutable), so what was read may be "
        "torn; nothing was written: run the command again (or when no sync runs)",
        _path));
}

SQLite::Database openDatabase(const std::string& path) {
    if (path != ":memory:") requireArchiveFileType(path, "open the archive");
    try {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, busyTimeoutMs.load());
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
