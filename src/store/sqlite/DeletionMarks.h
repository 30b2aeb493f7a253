#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "domain/Message.h"
#include "domain/TimeRange.h"

namespace okarchive {

/// The deletion side of a page commit (issue 13): messages.deleted_observed_at and its history in message_events.
/// A mark is set when a message is observed gone (absent from a completely re-paged range, or flagged by the API)
/// and cleared when it comes back; nothing is ever removed. The caller owns the transaction.
class DeletionMarks {
public:
    explicit DeletionMarks(SQLite::Database& db);

    /// Marks the archived message `id` deleted, observed at `nowMs` (a 'deleted' event); false if it already was.
    bool mark(std::int64_t id, const std::string& chatId, const std::string& mid, std::int64_t nowMs);
    /// Clears the mark of `id` (a 'restored' event).
    void clear(std::int64_t id, const std::string& chatId, const std::string& mid, std::int64_t nowMs);
    /// Marks every archived, unmarked message of `chatId` in `repaged` whose mid `page` does not hold; how many.
    int markAbsent(const std::string& chatId, const std::vector<Message>& page, const std::vector<TimeRange>& repaged,
                   std::int64_t nowMs);

private:
    void event(const std::string& chatId, const std::string& mid, const char* kind, std::int64_t nowMs);

    SQLite::Statement _mark;
    SQLite::Statement _clear;
    SQLite::Statement _event;
    SQLite::Statement _presentIn;
};

}  // namespace okarchive
