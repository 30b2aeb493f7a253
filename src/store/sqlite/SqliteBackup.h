#pragma once

#include <string>

#include "store/ArchiveBackup.h"

namespace okarchive {

/// backupArchive for a SQLite archive: the online backup API in steps, all within one read transaction of the
/// source, so the copy is of one snapshot and a writer committing between steps never restarts it.
BackupResult backupSqliteArchive(const std::string& archivePath, const std::string& outputPath,
                                 const BackupOptions& options);

}  // namespace okarchive
