#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/CoverageSet.h"
#include "domain/Message.h"
#include "domain/TimeRange.h"

namespace okarchive {

/// What committing one page did.
struct PageWriteResult {
    int inserted = 0;     ///< new (chat_id, mid)
    int unchanged = 0;    ///< identical raw JSON already archived
    int revised = 0;      ///< content changed: the previous version was kept as a revision
    int quarantined = 0;  ///< undecodable messages kept apart for the first time
    /// Re-fetched with only volatile link parameters changed (sameExceptVolatileLinks): no revision, the stored
    /// message and its media ledger entries took the fresh links.
    int linksRefreshed = 0;
    int deleted = 0;   ///< newly marked deleted (commitRecheckPage's absences, or flaggedDeleted)
    int restored = 0;  ///< were marked deleted and came back: the mark cleared, a "restored" event recorded
};

/// What a re-check page (issue 13) proves beyond commitPage's coverage, and where the pass stands after it.
struct RecheckStep {
    /// Ranges this page re-paged completely (the pager's proof, minus any millisecond that overflowed a page): every
    /// archived message of the chat in them, not marked deleted, that the page does not hold is marked deleted.
    std::vector<TimeRange> repaged;
    /// What the pass still has to re-page after this page, [lo, top]; nullopt: the pass is complete (its end time
    /// becomes the chat's last re-check).
    std::optional<TimeRange> remaining;
};

/// A chat's re-check pass (sync.recheck): in progress, or the last one completed. Wall times in ms.
struct RecheckState {
    std::optional<TimeRange> pending;             ///< still to re-page of the pass in progress; none: no pass open
    std::optional<std::int64_t> passStartedAtMs;  ///< when the open pass started
    std::optional<std::int64_t> lastCompletedAtMs;  ///< when the last complete pass ended
    std::optional<TimeRange> lastCompletedRange;    ///< the window that pass re-paged
};

/// A message the API sent in a shape that cannot be archived as a message, kept verbatim.
struct QuarantinedMessage {
    std::string chatId;
    std::optional<std::int64_t> timestamp;  ///< when it had a usable one
    std::string reason;                     ///< why it could not be decoded
    std::string rawJson;                    ///< exactly as received
    std::int64_t firstSeenAtMs = 0;
};

/// The page write path: a page of messages and the time ranges it proves complete, stored together or not at all.
class PageStore {
public:
    virtual ~PageStore() = default;

    /// Stores `messages` of `chatId` and adds `proven` to the chat's coverage, in one transaction. Re-committing the
    /// same page changes nothing; a message whose raw JSON changed is revised (the previous version and its attachments
    /// are kept, edited_at set), unless only volatile link parameters changed (linksRefreshed). A message marked
    /// deleted that arrives again (not flaggedDeleted) is restored; a flaggedDeleted one is marked deleted. Attachments with media get media ledger entries. An
    /// undecodable message (Message::undecodable) goes to the chat's quarantine, once per distinct raw JSON.
    virtual PageWriteResult commitPage(const std::string& chatId, const std::vector<Message>& messages,
                                       const std::vector<TimeRange>& proven) = 0;
    /// commitPage, and in the same transaction: the absences `step.repaged` proves are marked deleted (observed now,
    /// a "deleted" event each), and the chat's open pass moves to `step.remaining` (or completes).
    virtual PageWriteResult commitRecheckPage(const std::string& chatId, const std::vector<Message>& messages,
                                              const std::vector<TimeRange>& proven, const RecheckStep& step) = 0;
    /// Opens a re-check pass over `window` (replacing any open one), started now.
    virtual void startRecheck(const std::string& chatId, TimeRange window) = 0;
    virtual RecheckState recheckState(const std::string& chatId) = 0;
    virtual CoverageSet coverage(const std::string& chatId) = 0;  ///< the ranges proven complete, merged
    /// The chat's quarantined messages, in the order first seen.
    virtual std::vector<QuarantinedMessage> quarantined(const std::string& chatId) = 0;
};

}  // namespace okarchive
