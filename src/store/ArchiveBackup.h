#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace okarchive {

/// How far a backup is: `done` of `total` units (pages for SQLite) copied.
struct BackupProgress {
    std::int64_t done = 0;
    std::int64_t total = 0;
};

/// What a backup wrote: the file, its size, and the messages of the snapshot it copied (checked in the copy).
struct BackupResult {
    std::string path;
    std::uintmax_t bytes = 0;
    std::int64_t messages = 0;
};

struct BackupOptions {
    std::function<void(const BackupProgress&)> progress = {};  ///< called after each step of the copy
    /// Called with the finished copy (not yet verified nor in place); for tests that damage it.
    std::function<void(const std::string& copyPath)> beforeVerify = {};
};

/// Copies the archive at `archivePath` as it is at one moment to `outputPath`, beside a running sync or serve: it takes
/// no archive lock and reads one snapshot, so writers go on meanwhile. The copy is written to a temporary file in the
/// output's directory, synced, verified (integrity, schema version, and the snapshot's message count), then renamed
/// over `outputPath` and the directory synced: an existing `outputPath` is replaced only by a verified copy, and a
/// failure leaves no file behind. Throws UsageError for an output that is the archive or one of its companion files
/// (-wal, -shm, -journal), standard output ("-"), a directory, or a missing archive; StorageError naming what failed.
BackupResult backupArchive(const std::string& archivePath, const std::string& outputPath,
                           const BackupOptions& options = {});

}  // namespace okarchive
