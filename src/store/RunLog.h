#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/ChatInfo.h"
#include "domain/TimeRange.h"

namespace okarchive {

/// One finished sync of one chat, for `status` and /healthz.
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
    std::int64_t recordedAtMs = 0;  ///< 0 when recording: the store stamps it with its Env's wall time
};

/// Per-chat summary for `status` and `chats`.
struct ChatStatus {
    std::string chatId;
    bool archived = true;          ///< false: only failed syncs ever named it (see ChatCatalog::neverArchivedChatIds)
    std::optional<ChatInfo> info;  ///< metadata if known
    std::int64_t messages = 0;
    std::optional<std::int64_t> oldestTimestamp;
    std::optional<std::int64_t> newestTimestamp;
    std::optional<SyncRunRecord> lastRun;  ///< the one that finished last
    bool syncedOk = false;                 ///< a sync of it succeeded at least once (see RunLog::neverSyncedChatIds)
    std::vector<TimeRange> coverage;       ///< ranges proven complete
    std::vector<SyncWarning> warnings;     ///< by timestamp, then kind; quarantined messages are "quarantined" ones
    std::int64_t revisions = 0;            ///< earlier versions kept (edits observed)
    std::int64_t deletions = 0;            ///< messages marked deleted now
    std::optional<std::int64_t> lastRecheckAtMs;  ///< when the last complete re-check pass ended
    std::optional<TimeRange> recheckPending;      ///< an open re-check pass: what it still has to re-page
};

/// The run log and the warnings of syncs.
class RunLog {
public:
    virtual ~RunLog() = default;

    virtual void recordWarning(const SyncWarning& warning) = 0;  ///< idempotent on (chat, kind, timestamp)
    virtual void recordSyncRun(const SyncRunRecord& run) = 0;    ///< an "ok" run marks the chat archived
    virtual std::vector<SyncRunRecord> syncRuns(const std::string& chatId) = 0;  ///< in the order recorded
    virtual std::vector<ChatStatus> chatStatuses() = 0;  ///< every archived chat, by id, from one snapshot
    /// Chats no sync of which ever succeeded, ascending: archived only from the pages of failed syncs, or only named
    /// by them (ChatCatalog::neverArchivedChatIds is a part of these).
    virtual std::vector<std::string> neverSyncedChatIds() = 0;
};

}  // namespace okarchive
