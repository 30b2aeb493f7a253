#pragma once

#include <cstdint>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "domain/MediaLink.h"
#include "domain/Message.h"

namespace okarchive {

/// The media ledger side of commitPage: keeps the `media` rows of a message in line with its current attachments,
/// with its statements prepared once. The caller owns the transaction.
class MediaWriter {
public:
    explicit MediaWriter(SQLite::Database& db);

    /// Pending entries for the attachments with media of a message archived for the first time (none: no statement).
    void addNew(const std::string& chatId, const Message& message);
    /// After a message was rewritten (a real edit or fresh links): an entry whose identity is unchanged takes the new
    /// url (and, unless saved or skipped by policy, becomes pending when the url changed); an entry whose position
    /// now holds other media or none is kept in media_revisions, then restarted as pending or removed.
    void follow(const std::string& chatId, const Message& message, std::int64_t nowMs);

private:
    struct Entry;
    /// A pending entry for the position (an existing one starts over: another identity took the position).
    void start(const std::string& chatId, const Message& message, int position, const MediaSource& source);
    void relink(const std::string& chatId, const std::string& mid, int position, const std::string& url);
    void keepRevision(const std::string& chatId, const std::string& mid, int position, std::int64_t nowMs);
    void remove(const std::string& chatId, const std::string& mid, int position);

    SQLite::Statement _start;
    SQLite::Statement _entries;
    SQLite::Statement _relink;
    SQLite::Statement _keepRevision;
    SQLite::Statement _remove;
};

}  // namespace okarchive
