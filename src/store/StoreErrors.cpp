#include "StoreErrors.h"

#include <filesystem>

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <sqlite3.h>

namespace okarchive {
namespace {

const char* hintFor(int primaryCode) {
    switch (primaryCode) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "Another process holds the archive locked: wait for it to finish (or stop it) and retry.";
        case SQLITE_FULL: return "The disk is full: free some space and retry.";
        case SQLITE_IOERR: return "The disk or file system reported an I/O error: check it, then retry.";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return "The file is damaged or is not an okarchive database: restore it from a backup or choose "
                   "another database path.";
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
        case SQLITE_READONLY:
        case SQLITE_AUTH:
            return "Check that the directory exists and that this user may read and write the file and its "
                   "directory.";
        case SQLITE_CONSTRAINT:
        case SQLITE_MISMATCH:
        case SQLITE_RANGE:
            return "The data broke a rule of the archive schema; this is an okarchive bug: please report it with "
                   "this message.";
        default: return "Check the file and the disk, then retry.";
    }
}

}  // namespace

StorageError storageError(const std::string& path, const std::string& action, const SQLite::Exception& error) {
    return storageError(path, action, error.what(), hintFor(error.getErrorCode() & 0xff));
}

void requireArchiveFileType(const std::string& path, const std::string& action) {
    std::error_code ec;
    const auto type = std::filesystem::status(path, ec).type();
    if (ec || type == std::filesystem::file_type::regular || type == std::filesystem::file_type::not_found) return;
    throw storageError(path, action,
                       type == std::filesystem::file_type::directory
                           ? "it is a directory, not a database file"
                           : "it is not a regular file (a FIFO, socket or device), not a database file",
                       "Set archive.database to the archive's file.");
}

StorageError storageError(const std::string& path, const std::string& action, const std::string& reason,
                          const std::string& hint) {
    return StorageError(fmt::format("archive {}: cannot {}: {}. {}", path, action, reason, hint));
}

}  // namespace okarchive
