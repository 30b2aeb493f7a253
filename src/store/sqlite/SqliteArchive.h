#pragma once

#include <string>

#include <SQLiteCpp/Database.h>

#include "store/Archive.h"
#include "store/sqlite/PageWriter.h"
#include "store/sqlite/SqliteReader.h"

namespace okarchive {

/// The SQLite backend: one connection to a WAL database file, migrated on open. Reads are delegated to a
/// SqliteReader over the connection; snapshots open a connection of their own.
class SqliteArchive : public Archive {
public:
    /// Opens or creates the database at `path` and applies pending migrations (ReadWrite), or opens it for reading
    /// only (openDatabaseReadOnly). Throws StorageError naming the file.
    SqliteArchive(const std::string& path, Env& env, ArchiveMode mode = ArchiveMode::ReadWrite);
    ~SqliteArchive() override;

    PageWriteResult commitPage(const std::string& chatId, const std::vector<Message>& messages,
                               const std::vector<TimeRange>& proven) override;
    PageWriteResult commitRecheckPage(const std::string& chatId, const std::vector<Message>& messages,
                                      const std::vector<TimeRange>& proven, const RecheckStep& step) override;
    void startRecheck(const std::string& chatId, TimeRange window) override;
    RecheckState recheckState(const std::string& chatId) override;
    CoverageSet coverage(const std::string& chatId) override;
    std::vector<QuarantinedMessage> quarantined(const std::string& chatId) override;

    void upsertChat(const ChatInfo& info) override;
    void ensureChat(const std::string& chatId) override;
    std::vector<std::string> archivedChatIds() override;
    std::vector<std::string> neverArchivedChatIds() override;
    std::optional<bool> fromBoundInclusive(const std::string& chatId) override;
    void setFromBoundInclusive(const std::string& chatId, bool inclusive) override;

    void recordWarning(const SyncWarning& warning) override;
    void recordSyncRun(const SyncRunRecord& run) override;
    std::vector<SyncRunRecord> syncRuns(const std::string& chatId) override;
    std::vector<ChatStatus> chatStatuses() override;
    std::vector<std::string> neverSyncedChatIds() override;

    std::optional<DigestRow> findDigest(const std::string& chatId, std::int64_t periodStart,
                                        std::int64_t periodEnd) override;
    std::vector<DigestRow> digests(const std::string& chatId) override;
    std::vector<std::pair<DigestPeriod, std::string>> pendingDigests(const std::string& chatId) override;
    std::int64_t recordDigestIntent(const std::string& chatId, const DigestPeriod& period, const std::string& text,
                                    bool forced, std::int64_t nowMs) override;
    void recordDigestPosted(std::int64_t id, std::int64_t nowMs) override;
    void recordDigestFailure(std::int64_t id, const std::string& error) override;
    std::vector<std::int64_t> untaggedDigestMessages(const std::string& chatId, std::int64_t clockSlackMs) override;
    std::optional<std::int64_t> findArchivedText(const std::string& chatId, const std::string& text,
                                                 std::int64_t sinceMs, std::int64_t attemptedAtMs) override;
    int tagArchivedDigests(const std::string& chatId, std::int64_t clockSlackMs) override;

    std::int64_t seedMedia(const std::string& chatId) override;
    std::vector<MediaItem> mediaToFetch(const std::string& chatId, std::size_t limit, int maxAttempts) override;
    std::optional<AttachmentMedia> savedMedia(const std::string& identity) override;
    void recordMediaOutcome(const std::string& chatId, const std::string& mid, int position,
                            const MediaOutcome& outcome) override;
    void recordMediaRefresh(const std::string& chatId, const std::string& mid, int position) override;
    std::vector<MediaCount> mediaCounts(const std::optional<std::string>& chatId) override;
    std::vector<MediaItem> mediaItems(const std::optional<std::string>& chatId,
                                      std::optional<MediaState> state) override;
    std::vector<MediaRevision> mediaRevisions(const std::string& chatId, const std::string& mid) override;

    std::optional<ChatInfo> chatInfo(const std::string& chatId) override { return _reader.chatInfo(chatId); }
    std::optional<std::string> latestSenderName(const std::string& userId) override {
        return _reader.latestSenderName(userId);
    }
    std::int64_t messageCount(const std::string& chatId) override { return _reader.messageCount(chatId); }
    std::int64_t countMessages(const MessageQuery& query) override { return _reader.countMessages(query); }
    std::optional<Message> findMessage(const std::string& chatId, const std::string& mid) override {
        return _reader.findMessage(chatId, mid);
    }
    std::vector<MessageRevision> messageRevisions(const std::string& chatId, const std::string& mid) override {
        return _reader.messageRevisions(chatId, mid);
    }
    std::unique_ptr<MessageCursor> openCursor(const MessageQuery& query) override { return _reader.openCursor(query); }
    std::vector<MediaCount> mediaCounts(const MessageQuery& query) override { return _reader.mediaCounts(query); }

    std::unique_ptr<ReadSnapshot> snapshot() override;
    std::string integrityCheck() override;
    const std::string& path() const override { return _path; }

    /// This archive's own connection, for the SQLite backend's tests only (schema, triggers, query plans, pragmas).
    SQLite::Database& connectionForTests() { return _db; }

private:
    std::vector<std::string> chatIds(bool archived);

    template <class Body>
    decltype(auto) guard(const std::string& action, Body&& body);
    void movePass(const std::string& chatId, const std::optional<TimeRange>& remaining, std::int64_t nowMs);

    std::string _path;
    Env& _env;
    ArchiveMode _mode;
    SQLite::Database _db;    // declared before every statement: destroyed after them
    int _migrationsApplied;  // by this open; sequenced before the writer prepares statements on the tables
    ImmutableFileWatch _watch;
    PageWriter _writer;
    SqliteReader _reader;
};

}  // namespace okarchive
