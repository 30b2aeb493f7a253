#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "domain/Message.h"
#include "domain/TimeRange.h"
#include "store/PageStore.h"
#include "store/sqlite/DeletionMarks.h"
#include "store/sqlite/MediaWriter.h"

namespace okarchive {

/// The write path of Archive::commitPage, with its statements prepared once. The caller owns the transaction.
class PageWriter {
public:
    /// `path` only names the archive in error messages.
    PageWriter(SQLite::Database& db, std::string path);

    /// Writes `messages` of `chatId` (insert, leave unchanged, refresh links, or revise) with their media ledger
    /// entries, and merges `proven` into its coverage.
    /// Must run inside a transaction; throws SQLite::Exception, or StorageError for a message of another chat.
    PageWriteResult write(const std::string& chatId, const std::vector<Message>& messages,
                          const std::vector<TimeRange>& proven, std::int64_t nowMs);

    /// Marks what a re-check page proves gone (DeletionMarks::markAbsent); how many were marked.
    int markAbsent(const std::string& chatId, const std::vector<Message>& page, const std::vector<TimeRange>& repaged,
                   std::int64_t nowMs) {
        return _deletions.markAbsent(chatId, page, repaged, nowMs);
    }

    /// Creates the chat row if missing (metadata unknown). Must run inside a transaction or alone.
    void ensureChat(const std::string& chatId, std::int64_t nowMs);
    /// Creates the chat row if missing and marks the chat as archived (a page committed, or a sync that succeeded).
    void ensureArchivedChat(const std::string& chatId, std::int64_t nowMs);

private:
    enum class Outcome { Inserted, Unchanged, Revised, LinksRefreshed };
    /// An archived message as a re-fetch finds it: its raw JSON only when it differs from the re-fetched one.
    struct StoredRow {
        std::int64_t id;
        std::optional<std::string> changedRawJson;
        bool deleted;
    };

    Outcome writeMessage(const std::string& chatId, const Message& message, std::int64_t nowMs,
                         PageWriteResult& result);
    std::optional<std::int64_t> insertNew(const std::string& chatId, const Message& message, std::int64_t nowMs);
    StoredRow storedRow(const std::string& chatId, const Message& message);
    /// Follows the API's deleted flag and a deleted message's return; counts into `result`.
    void followDeletion(const std::string& chatId, const Message& message, std::int64_t id, bool markedDeleted,
                        std::int64_t nowMs, PageWriteResult& result);
    void rewrite(std::int64_t id, const Message& message, std::int64_t nowMs, bool keepRevision);
    void bindContent(SQLite::Statement& statement, const Message& message);
    void writeDetails(std::int64_t messageId, const Message& message);
    bool quarantine(const std::string& chatId, const Message& message, std::int64_t nowMs);
    void mergeCoverage(const std::string& chatId, const std::vector<TimeRange>& proven);

    SQLite::Database& _db;
    std::string _path;
    SQLite::Statement _ensureChat;
    SQLite::Statement _insertMessage;
    SQLite::Statement _findMessage;
    SQLite::Statement _keepRevision;
    SQLite::Statement _keepRevisionAttachments;
    SQLite::Statement _markEdited;
    SQLite::Statement _updateMessage;
    SQLite::Statement _deleteAttachments;
    SQLite::Statement _deleteServiceEvent;
    SQLite::Statement _insertAttachment;
    SQLite::Statement _insertServiceEvent;
    SQLite::Statement _upsertSender;
    SQLite::Statement _coverageBefore;
    SQLite::Statement _coverageWithin;
    SQLite::Statement _deleteCoverage;
    SQLite::Statement _insertCoverage;
    SQLite::Statement _insertQuarantined;
    SQLite::Statement _markArchived;
    MediaWriter _media;
    DeletionMarks _deletions;
};

}  // namespace okarchive
