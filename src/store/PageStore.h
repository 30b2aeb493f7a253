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
    /// same page changes nothing; a message whose raw JSON changed is revised (the previous version is kept), unless
    /// only volatile link parameters changed (linksRefreshed). Attachments with media get media ledger entries. An
    /// undecodable message (Message::undecodable) goes to the chat's quarantine, once per distinct raw JSON.
    virtual PageWriteResult commitPage(const std::string& chatId, const std::vector<Message>& messages,
                                       const std::vector<TimeRange>& proven) = 0;
    virtual CoverageSet coverage(const std::string& chatId) = 0;  ///< the ranges proven complete, merged
    /// The chat's quarantined messages, in the order first seen.
    virtual std::vector<QuarantinedMessage> quarantined(const std::string& chatId) = 0;
};

}  // namespace okarchive
