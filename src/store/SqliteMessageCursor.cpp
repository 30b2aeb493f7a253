#include "SqliteMessageCursor.h"

#include <SQLiteCpp/Exception.h>

#include "StoreErrors.h"

namespace okarchive {
namespace {

std::string messagesSql(const MessageQuery& query) {
    std::string sql =
        "SELECT m.id, m.mid, m.seq, m.timestamp, m.sender_id, m.sender_name, m.text, m.reply_to, m.raw_json, "
        "m.kind, s.type, s.user_id "
        "FROM messages AS m LEFT JOIN service_events AS s ON s.message_id = m.id "
        "WHERE m.chat_id = ?1";
    if (query.since) sql += " AND m.timestamp >= ?2";
    if (query.until) sql += " AND m.timestamp < ?3";
    // id breaks (timestamp, seq) ties deterministically; the index (chat_id, timestamp, seq) ends with the rowid,
    // so SQLite walks it in this order without sorting.
    return sql + " ORDER BY m.timestamp, m.seq, m.id";
}

std::optional<std::string> optionalText(const SQLite::Column& column) {
    if (column.isNull()) return std::nullopt;
    return column.getString();  // byte count, not NUL-terminated
}

}  // namespace

SqliteMessageCursor::SqliteMessageCursor(SQLite::Database& db, std::string path, const MessageQuery& query)
    : _path(std::move(path)),
      _chatId(query.chatId),
      _messages(db, messagesSql(query)),
      _attachments(db, "SELECT type, payload_json FROM attachments WHERE message_id = ?1 ORDER BY position") {
    _messages.bind(1, query.chatId);
    if (query.since) _messages.bind(2, *query.since);
    if (query.until) _messages.bind(3, *query.until);
}

bool SqliteMessageCursor::next() {
    if (_done) return false;
    try {
        if (!_messages.executeStep()) {
            _done = true;
            _messages.tryReset();  // ends the read snapshot now rather than at destruction
            return false;
        }
        Message m;
        std::int64_t id = _messages.getColumn(0).getInt64();
        m.chatId = _chatId;
        m.mid = _messages.getColumn(1).getString();
        m.seq = _messages.getColumn(2).getInt64();
        m.timestamp = _messages.getColumn(3).getInt64();
        m.senderId = _messages.getColumn(4).getString();
        m.senderName = _messages.getColumn(5).getString();
        m.text = optionalText(_messages.getColumn(6));
        m.replyTo = optionalText(_messages.getColumn(7));
        m.rawJson = _messages.getColumn(8).getString();
        if (_messages.getColumn(9).getString() == "service") {
            m.service = ServiceEvent{_messages.getColumn(10).getString(), optionalText(_messages.getColumn(11))};
        }
        _attachments.tryReset();
        _attachments.bind(1, id);
        while (_attachments.executeStep()) {
            m.attachments.push_back({_attachments.getColumn(0).getString(), _attachments.getColumn(1).getString()});
        }
        _current = std::move(m);
        return true;
    } catch (const SQLite::Exception& e) {
        _done = true;
        throw storageError(_path, "read the messages of " + _chatId, e);
    }
}

}  // namespace okarchive
