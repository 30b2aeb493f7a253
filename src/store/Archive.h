#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/ChatInfo.h"
#include "domain/CoverageSet.h"
#include "domain/Errors.h"
#include "domain/Message.h"
#include "domain/MessageCursor.h"
#include "domain/TimeRange.h"

namespace SQLite {
class Database;
}

namespace okarchive {

/// What committing one page did.
struct PageWriteResult {
    int inserted = 0;   ///< new (chat_id, mid)
    int unchanged = 0;  ///< identical raw JSON already archived
    int revised = 0;    ///< content changed: the previous version was kept in message_revisions
};

/// One finished sync of one chat, for `status` and later for /healthz.
struct SyncRunRecord {
    std::string chatId;
    std::int64_t startedAtMs = 0;
    std::int64_t finishedAtMs = 0;
    std::string result;  ///< "ok" or "failed"
    std::int64_t messagesAdded = 0;
    std::int64_t requests = 0;
    std::string error;  ///< empty when ok; never holds the token
};

/// A recorded problem, e.g. a millisecond holding more messages than one page can reach.
struct SyncWarning {
    std::string chatId;
    std::string kind;  ///< e.g. "cluster_overflow"
    std::int64_t timestamp = 0;
    std::string detail;
    std::int64_t recordedAtMs = 0;
};

/// Per-chat summary for `status` and `chats`.
struct ChatStatus {
    std::string chatId;
    std::optional<ChatInfo> info;  ///< metadata if known
    std::int64_t messages = 0;
    std::optional<std::int64_t> oldestTimestamp;
    std::optional<std::int64_t> newestTimestamp;
    std::optional<SyncRunRecord> lastRun;
    std::vector<TimeRange> coverage;  ///< ranges proven complete
    std::vector<SyncWarning> warnings;
};

/// Which archived messages to read. Times in ms; since inclusive, until exclusive. Repeated values (senders,
/// attachment types) mean "any of them"; different filters combine with AND.
struct MessageQuery {
    std::string chatId;
    std::optional<std::int64_t> since = {};
    std::optional<std::int64_t> until = {};
    std::vector<std::string> senders = {};  ///< sender user ids ("user:...")
    std::optional<MessageKind> kind = {};
    std::vector<std::string> attachmentTypes = {};  ///< has an attachment of one of these types
    std::optional<std::string> contains = {};       ///< case-insensitive substring of the text (domain/TextFold.h)
    bool excludeDigests = false;                    ///< leave out the bot's own posted digests (digest_messages)
};

/// Whether `message` passes every filter of `query` (neither the chat id nor excludeDigests, which needs the
/// database, is checked). The single definition the SQL of the cursor narrows down to.
bool matchesQuery(const MessageQuery& query, const Message& message);

/// The SQLite archive: opening (WAL, migrations), writing pages with the coverage they prove in one transaction,
/// and reading back. One Archive per thread (it owns one connection).
class Archive {
public:
    /// Opens or creates the database at `path` and applies pending migrations. Throws StorageError naming the file
    /// (including when the database was written by a newer okarchive).
    explicit Archive(const std::string& path);
    ~Archive();
    Archive(const Archive&) = delete;
    Archive& operator=(const Archive&) = delete;

    /// Stores `messages` of `chatId` and adds `proven` to the chat's coverage, in one transaction.
    PageWriteResult commitPage(const std::string& chatId, const std::vector<Message>& messages,
                               const std::vector<TimeRange>& proven);
    CoverageSet coverage(const std::string& chatId);

    void upsertChat(const ChatInfo& info);       ///< metadata (history of titles is kept in raw form)
    void ensureChat(const std::string& chatId);  ///< a row for the chat, metadata unknown
    std::vector<std::string> archivedChatIds();
    std::optional<ChatInfo> chatInfo(const std::string& chatId);             ///< nothing if unknown or never described
    std::optional<std::string> latestSenderName(const std::string& userId);  ///< the name last seen for a user

    /// Whether the server's `from` bound includes its timestamp, as discovered for this chat (nothing if unknown).
    std::optional<bool> fromBoundInclusive(const std::string& chatId);
    void setFromBoundInclusive(const std::string& chatId, bool inclusive);

    void recordWarning(const SyncWarning& warning);  ///< idempotent on (chat, kind, timestamp)
    void recordSyncRun(const SyncRunRecord& run);

    std::vector<ChatStatus> chatStatuses();  ///< every archived chat
    std::int64_t messageCount(const std::string& chatId);
    std::int64_t countMessages(const MessageQuery& query);  ///< how many openCursor(query) yields
    std::optional<Message> findMessage(const std::string& chatId, const std::string& mid);  ///< by its identity

    /// Streams matching messages in ascending (timestamp, seq) order without loading the chat in memory.
    std::unique_ptr<MessageCursor> openCursor(const MessageQuery& query);

    SQLite::Database& database();     ///< for tests and stats queries
    const std::string& path() const;  ///< the database file, as given
    static int schemaVersion();       ///< the newest migration this binary knows

private:
    struct Impl;
    std::unique_ptr<Impl> _impl;
};

}  // namespace okarchive
