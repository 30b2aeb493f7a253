#include "store/sqlite/SqliteBackup.h"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "domain/Errors.h"
#include "store/StoreErrors.h"
#include "store/sqlite/Database.h"
#include "store/sqlite/SqliteGuard.h"

namespace okarchive {
namespace {

namespace fs = std::filesystem;

constexpr int kPagesPerStep = 1024;  // 4 MiB of 4 KiB pages: a progress line about every few milliseconds
constexpr std::array<const char*, 4> kCompanions{"", "-wal", "-shm", "-journal"};

/// What the backup must copy and what its copy must hold: read in the source's read transaction.
struct SnapshotFigures {
    std::int64_t schemaVersion = 0;
    std::int64_t messages = 0;
};

SnapshotFigures figuresOf(SQLite::Database& db) {
    return {db.execAndGet("SELECT COALESCE(max(version), 0) FROM schema_migrations").getInt64(),
            db.execAndGet("SELECT count(*) FROM messages").getInt64()};
}

/// Refuses an output that is no file of its own: "-", a directory, the archive or one of its companions.
void refuseOutput(const std::string& archivePath, const std::string& outputPath) {
    if (outputPath.empty()) throw UsageError("backup needs --output=FILE: the file to write the copy to");
    if (outputPath == "-")
        throw UsageError("backup --output=- is refused: a database is a file, not a stream; give a file name");
    if (fs::is_directory(outputPath))
        throw UsageError(fmt::format("backup --output={} is a directory: give a file name", outputPath));
    std::error_code ignored;
    const auto output = fs::weakly_canonical(outputPath, ignored);
    for (const char* suffix : kCompanions) {
        const std::string companion = archivePath + suffix;
        const bool same = fs::weakly_canonical(companion, ignored) == output ||
                          (fs::exists(companion) && fs::exists(outputPath) && fs::equivalent(companion, outputPath));
        if (same)
            throw UsageError(fmt::format("backup --output={} is the archive's own file {}: write the copy elsewhere",
                                         outputPath, companion));
    }
}

/// The temporary copy in the output's directory, removed (with any companion SQLite left) unless it was moved.
class TemporaryCopy {
public:
    explicit TemporaryCopy(const std::string& outputPath) {
        const auto target = fs::absolute(outputPath);
        std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0)
            throw StorageError(
                fmt::format("cannot create a temporary file next to {}: {}", outputPath, std::strerror(errno)));
        ::close(fd);
        _path = pattern;
    }
    ~TemporaryCopy() {
        if (_path.empty()) return;
        std::error_code ignored;
        for (const char* suffix : kCompanions) fs::remove(_path + suffix, ignored);
    }
    TemporaryCopy(const TemporaryCopy&) = delete;
    TemporaryCopy& operator=(const TemporaryCopy&) = delete;

    const std::string& path() const { return _path; }
    void released() { _path.clear(); }

private:
    std::string _path;
};

/// Copies the source's snapshot into `copy` page by page, reporting progress after each step.
void copyPages(SQLite::Database& source, const std::string& archivePath, SQLite::Database& copy,
               const BackupOptions& options) {
    sqlite3_backup* backup = sqlite3_backup_init(copy.getHandle(), "main", source.getHandle(), "main");
    if (!backup) throw SQLite::Exception(copy.getHandle(), sqlite3_errcode(copy.getHandle()));
    std::unique_ptr<sqlite3_backup, int (*)(sqlite3_backup*)> finish(backup, sqlite3_backup_finish);
    int rc = SQLITE_OK;
    while ((rc = sqlite3_backup_step(backup, kPagesPerStep)) == SQLITE_OK) {
        const std::int64_t total = sqlite3_backup_pagecount(backup);
        if (options.progress) options.progress({total - sqlite3_backup_remaining(backup), total});
    }
    if (rc != SQLITE_DONE)
        throw storageError(archivePath, "copy the archive", sqlite3_errstr(rc),
                           "Check the disk of the output (space, permissions) and retry.");
    const std::int64_t total = sqlite3_backup_pagecount(backup);
    if (options.progress) options.progress({total, total});
    rc = sqlite3_backup_finish(finish.release());
    if (rc != SQLITE_OK) throw SQLite::Exception(copy.getHandle(), rc);
}

/// Checks the finished copy holds what the snapshot held; throws StorageError naming the copy otherwise.
void verifyCopy(const std::string& copyPath, const std::string& outputPath, const SnapshotFigures& expected) {
    const auto failed = [&](const std::string& what) {
        return StorageError(fmt::format("backup {}: the copy failed verification ({}); nothing was written to {}",
                                        outputPath, what, outputPath));
    };
    try {
        SQLite::Database copy(copyPath, SQLite::OPEN_READWRITE);
        const std::string integrity = copy.execAndGet("PRAGMA integrity_check").getString();
        if (integrity != "ok") throw failed("integrity_check: " + integrity);
        const auto figures = figuresOf(copy);
        if (figures.schemaVersion != expected.schemaVersion)
            throw failed(fmt::format("schema {} instead of {}", figures.schemaVersion, expected.schemaVersion));
        if (figures.messages != expected.messages)
            throw failed(fmt::format("{} messages instead of {}", figures.messages, expected.messages));
    } catch (const SQLite::Exception& e) {
        throw failed(e.what());
    }
}

/// fsync(2)s `path` (a file, or a directory so a rename in it is durable); throws StorageError naming it.
void syncToDisk(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) throw StorageError(fmt::format("cannot open {} to sync it: {}", path, std::strerror(errno)));
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0 && !(directory && error == EINVAL))  // some file systems cannot sync directories
        throw StorageError(fmt::format("cannot sync {} to disk: {}", path, std::strerror(error)));
}

}  // namespace

BackupResult backupSqliteArchive(const std::string& archivePath, const std::string& outputPath,
                                 const BackupOptions& options) {
    refuseOutput(archivePath, outputPath);
    if (!fs::exists(archivePath))
        throw UsageError(
            fmt::format("archive {} does not exist: nothing to back up (see archive.database)", archivePath));
    SQLite::Database source = openDatabaseReadOnly(archivePath);
    ImmutableFileWatch watch(source, archivePath);
    TemporaryCopy temporary(outputPath);
    const auto expected = guarded(archivePath, "back up the archive", [&] {
        // One read transaction for the whole copy: every step reads the same snapshot (a writer's commit between
        // steps would otherwise restart the copy, which then never ends beside a busy sync).
        SQLite::Transaction snapshot(source, SQLite::TransactionBehavior::DEFERRED);
        const auto figures = figuresOf(source);
        SQLite::Database copy(temporary.path(), SQLite::OPEN_READWRITE);
        copyPages(source, archivePath, copy, options);
        return figures;
    });
    watch.check();
    if (options.beforeVerify) options.beforeVerify(temporary.path());
    verifyCopy(temporary.path(), outputPath, expected);
    syncToDisk(temporary.path(), false);
    if (std::rename(temporary.path().c_str(), outputPath.c_str()) != 0)
        throw StorageError(fmt::format("backup {}: cannot move the verified copy {} into place: {}", outputPath,
                                       temporary.path(), std::strerror(errno)));
    temporary.released();
    syncToDisk(fs::absolute(outputPath).parent_path().string(), true);
    return {outputPath, fs::file_size(outputPath), expected.messages};
}

}  // namespace okarchive
