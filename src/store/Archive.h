#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "domain/Env.h"
#include "domain/Errors.h"
#include "store/ChatCatalog.h"
#include "store/DigestLedger.h"
#include "store/MediaLedger.h"
#include "store/PageStore.h"
#include "store/ReadSnapshot.h"
#include "store/RunLog.h"

namespace okarchive {

/// The archive (leveldb's DB): the page write path, the chat catalog, the run log, the digest and media ledgers and
/// reads, either directly or through a consistent snapshot. Obtained from openArchive, which chooses the backend. One
/// Archive per thread (it owns one connection); several Archives, in threads or processes, may share one archive.
/// Every storage failure throws StorageError naming the archive.
class Archive : public PageStore,
                public ChatCatalog,
                public RunLog,
                public DigestLedger,
                public MediaLedger,
                public MessageReader {
public:
    ~Archive() override = default;

    using MediaLedger::mediaCounts;    // by chat: counts(chatId or nullopt)
    using MessageReader::mediaCounts;  // of what a MessageQuery selects

    /// A read view of this moment; writes through this or any other Archive meanwhile stay invisible to it.
    virtual std::unique_ptr<ReadSnapshot> snapshot() = 0;

    /// "ok", or a description of the damage the backend's own consistency check found.
    virtual std::string integrityCheck() = 0;

    virtual const std::string& path() const = 0;  ///< the archive as given to openArchive
    static int schemaVersion();                   ///< the newest schema version this binary knows
};

/// How an archive is opened: ReadWrite creates it if missing and migrates it; ReadOnly (status, export, report)
/// writes nothing, not even a -wal or -shm another user's writer could not open, and needs the current schema.
enum class ArchiveMode { ReadWrite, ReadOnly };

/// Opens or creates the archive at `path` (today a SQLite file) and brings its schema up to date; `env` stamps the
/// *_at times. Throws StorageError naming the archive (including when it was written by a newer okarchive).
std::unique_ptr<Archive> openArchive(const std::string& path, Env& env = Env::system(),
                                     ArchiveMode mode = ArchiveMode::ReadWrite);

/// How long an access waits for another connection's lock before failing with "database is locked" (5 s unless
/// set; archive.busy_timeout_ms). Process-wide; applies to archives opened afterwards.
void setArchiveBusyTimeout(std::chrono::milliseconds timeout);

}  // namespace okarchive
