#pragma once

#include <string>
#include <vector>

#include "domain/CoverageSet.h"
#include "domain/Message.h"
#include "domain/TimeRange.h"

namespace okarchive {

/// What committing one page did.
struct PageWriteResult {
    int inserted = 0;   ///< new (chat_id, mid)
    int unchanged = 0;  ///< identical raw JSON already archived
    int revised = 0;    ///< content changed: the previous version was kept as a revision
};

/// The page write path: a page of messages and the time ranges it proves complete, stored together or not at all.
class PageStore {
public:
    virtual ~PageStore() = default;

    /// Stores `messages` of `chatId` and adds `proven` to the chat's coverage, in one transaction. Re-committing the
    /// same page changes nothing; a message whose raw JSON changed is revised (the previous version is kept).
    virtual PageWriteResult commitPage(const std::string& chatId, const std::vector<Message>& messages,
                                       const std::vector<TimeRange>& proven) = 0;
    virtual CoverageSet coverage(const std::string& chatId) = 0;  ///< the ranges proven complete, merged
};

}  // namespace okarchive
