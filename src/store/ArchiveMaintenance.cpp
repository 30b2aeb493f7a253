// Backup and check by archive path: the places to choose another backend by URL, as openArchive does.
#include "store/ArchiveBackup.h"
#include "store/ArchiveCheck.h"
#include "store/sqlite/SqliteBackup.h"
#include "store/sqlite/SqliteCheck.h"

namespace okarchive {

BackupResult backupArchive(const std::string& archivePath, const std::string& outputPath,
                           const BackupOptions& options) {
    return backupSqliteArchive(archivePath, outputPath, options);
}

std::vector<ArchiveProblem> checkArchive(const std::string& archivePath) { return checkSqliteArchive(archivePath); }

}  // namespace okarchive
