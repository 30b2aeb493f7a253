#pragma once

#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "domain/MessageCursor.h"
#include "store/ReadSnapshot.h"
#include "store/sqlite/Database.h"

namespace okarchive {

/// The WHERE clause (over `messages AS m`) selecting what `query` selects, except `contains`; and its binding.
std::string messageFilterSql(const MessageQuery& query);
void bindMessageFilter(SQLite::Statement& statement, const MessageQuery& query);

/// Streams one chat's archived messages in ascending (timestamp, seq) order straight from SQLite: one statement steps
/// the messages (with their service event joined), a second fetches each message's attachments. Memory stays
/// constant. Must not outlive the Archive whose connection it reads; reads one consistent snapshot.
class SqliteMessageCursor : public MessageCursor {
public:
    /// `path` only names the file in error messages. Throws SQLite::Exception if the statements cannot be prepared.
    /// `watch` (if any) is checked at the last step: StorageError rather than the end of a read that may be torn.
    SqliteMessageCursor(SQLite::Database& db, std::string path, const MessageQuery& query,
                        const ImmutableFileWatch* watch = nullptr);

    bool next() override;
    const Message& current() const override { return _current; }

private:
    bool step();  // the next row of the SQL query, whatever its text
    std::vector<MessageVersion> readRevisions(std::int64_t id);

    std::string _path;
    std::string _chatId;
    bool _filtersText;
    std::string _foldedNeedle;
    SQLite::Statement _messages;
    SQLite::Statement _attachments;
    SQLite::Statement _revisions;
    SQLite::Statement _revisionAttachments;
    Message _current;
    const ImmutableFileWatch* _watch;
    bool _done = false;
};

}  // namespace okarchive
