#include "store/sqlite/SqliteReader.h"

#include <map>
#include <tuple>

#include <SQLiteCpp/Statement.h>

#include "store/sqlite/SqliteColumns.h"
#include "store/sqlite/SqliteGuard.h"
#include "store/sqlite/SqliteMessageCursor.h"
#include "store/sqlite/StatementUse.h"

namespace okarchive {

std::optional<ChatInfo> chatInfoFromRow(SQLite::Statement& row) {
    if (row.isColumnNull(6)) return std::nullopt;
    ChatInfo info;
    info.chatId = row.getColumn(0).getString();
    info.type = row.getColumn(1).getString();
    info.status = row.getColumn(2).getString();
    info.title = row.getColumn(3).getString();
    info.ownerId = optionalText(row.getColumn(4));
    if (!row.isColumnNull(5)) info.participantsCount = row.getColumn(5).getInt64();
    info.rawJson = row.getColumn(6).getString();
    return info;
}

template <class Body>
decltype(auto) SqliteReader::guard(const std::string& action, Body&& body) {
    return guarded(_path, action, std::forward<Body>(body));
}

std::optional<ChatInfo> SqliteReader::chatInfo(const std::string& chatId) {
    return guard("read the metadata of " + chatId, [&] {
        SQLite::Statement row(_db, std::string("SELECT ") + kChatColumns + " FROM chats WHERE chat_id = ?");
        row.bind(1, chatId);
        return row.executeStep() ? chatInfoFromRow(row) : std::nullopt;
    });
}

std::optional<std::string> SqliteReader::latestSenderName(const std::string& userId) {
    return guard("read the names of " + userId, [&]() -> std::optional<std::string> {
        StatementUse q(preparedOnce(
            _senderName, _db, "SELECT name FROM senders WHERE user_id = ? ORDER BY last_seen_ts DESC, name LIMIT 1"));
        q->bind(1, userId);
        if (!q->executeStep()) return std::nullopt;
        return q->getColumn(0).getString();
    });
}

std::int64_t SqliteReader::messageCount(const std::string& chatId) {
    return guard("count the messages of " + chatId, [&] {
        SQLite::Statement query(_db, "SELECT count(*) FROM messages WHERE chat_id = ?");
        query.bind(1, chatId);
        query.executeStep();
        return query.getColumn(0).getInt64();
    });
}

std::int64_t SqliteReader::countMessages(const MessageQuery& query) {
    if (query.contains) {  // the text filter lives in C++: count what the cursor yields, streaming
        auto cursor = openCursor(query);
        std::int64_t n = 0;
        while (cursor->next()) ++n;
        return n;
    }
    return guard("count the messages of " + query.chatId, [&] {
        SQLite::Statement count(_db, "SELECT count(*) FROM messages AS m WHERE " + messageFilterSql(query));
        bindMessageFilter(count, query);
        count.executeStep();
        return count.getColumn(0).getInt64();
    });
}

std::optional<Message> SqliteReader::findMessage(const std::string& chatId, const std::string& mid) {
    // The cursor over a one-message range reuses the row decoding; (chat_id, mid) is unique.
    const auto row = guard("look up " + mid + " in " + chatId, [&]() -> std::optional<std::int64_t> {
        SQLite::Statement q(_db, "SELECT timestamp FROM messages WHERE chat_id = ? AND mid = ?");
        q.bind(1, chatId);
        q.bind(2, mid);
        if (!q.executeStep()) return std::nullopt;
        return q.getColumn(0).getInt64();
    });
    if (!row) return std::nullopt;
    auto cursor = openCursor({chatId, *row, *row + 1});
    while (cursor->next())
        if (cursor->current().mid == mid) return cursor->current();
    return std::nullopt;
}

std::vector<MessageRevision> SqliteReader::messageRevisions(const std::string& chatId, const std::string& mid) {
    return guard("read the revisions of " + mid + " in " + chatId, [&] {
        SQLite::Statement q(_db,
                            "SELECT r.raw_json, r.text, r.replaced_at FROM message_revisions AS r JOIN messages AS m "
                            "ON m.id = r.message_id WHERE m.chat_id = ? AND m.mid = ? ORDER BY r.id");
        q.bind(1, chatId);
        q.bind(2, mid);
        std::vector<MessageRevision> revisions;
        while (q.executeStep())
            revisions.push_back({q.getColumn(0).getString(), optionalText(q.getColumn(1)), q.getColumn(2).getInt64()});
        return revisions;
    });
}

std::unique_ptr<MessageCursor> SqliteReader::openCursor(const MessageQuery& query) {
    return guard("read the messages of " + query.chatId, [&]() -> std::unique_ptr<MessageCursor> {
        return std::make_unique<SqliteMessageCursor>(_db, _path, query, _watch);
    });
}

namespace {

/// The media counts of what `query` selects, folded from its cursor (a text filter lives in C++ only).
std::vector<MediaCount> mediaCountsOfCursor(MessageCursor& cursor, const std::string& chatId) {
    std::map<std::pair<std::string, std::string_view>, MediaCount> counts;  // (type, state name): ordered
    while (cursor.next()) {
        for (const auto& attachment : cursor.current().attachments) {
            if (!attachment.media) continue;
            auto& count = counts[{attachment.type, mediaStateName(attachment.media->state)}];
            count.chatId = chatId;
            count.type = attachment.type;
            count.state = attachment.media->state;
            ++count.files;
            count.bytes += attachment.media->bytes.value_or(0);
        }
    }
    std::vector<MediaCount> out;
    for (auto& [key, count] : counts) out.push_back(std::move(count));
    return out;
}

}  // namespace

std::vector<MediaCount> SqliteReader::mediaCounts(const MessageQuery& query) {
    if (query.contains) {
        auto cursor = openCursor(query);
        return mediaCountsOfCursor(*cursor, query.chatId);
    }
    return guard("count the media of " + query.chatId, [&] {
        SQLite::Statement q(_db,
                            "SELECT md.type, md.state, count(*), COALESCE(sum(md.bytes), 0) FROM messages AS m "
                            "JOIN media AS md ON md.chat_id = m.chat_id AND md.mid = m.mid WHERE " +
                                messageFilterSql(query) + " GROUP BY 1, 2 ORDER BY 1, 2");
        bindMessageFilter(q, query);
        std::vector<MediaCount> counts;
        while (q.executeStep())
            counts.push_back({query.chatId, q.getColumn(0).getString(),
                              parseMediaState(q.getColumn(1).getString()).value_or(MediaState::Pending),
                              q.getColumn(2).getInt64(), q.getColumn(3).getInt64()});
        return counts;
    });
}

}  // namespace okarchive
