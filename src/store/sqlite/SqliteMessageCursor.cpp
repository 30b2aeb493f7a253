#include "SqliteMessageCursor.h"

#include <SQLiteCpp/Exception.h>

#include "SqliteColumns.h"
#include "store/StoreErrors.h"
#include "domain/TextFold.h"

namespace okarchive {
namespace {

/// `count` placeholders for an IN list.
std::string placeholders(std::size_t count) {
    std::string s;
    for (std::size_t i = 0; i < count; ++i) s += i ? ", ?" : "?";
    return s;
}

}  // namespace

std::string messageFilterSql(const MessageQuery& query) {
    std::string sql = "m.chat_id = ?";
    if (query.since) sql += " AND m.timestamp >= ?";
    if (query.until) sql += " AND m.timestamp < ?";
    if (!query.senders.empty()) sql += " AND m.sender_id IN (" + placeholders(query.senders.size()) + ")";
    if (query.kind) sql += " AND m.kind = ?";
    if (!query.attachmentTypes.empty())
        sql += " AND EXISTS (SELECT 1 FROM attachments AS a WHERE a.message_id = m.id AND a.type COLLATE NOCASE IN (" +
               placeholders(query.attachmentTypes.size()) + "))";
    if (query.excludeDigests) sql += " AND NOT EXISTS (SELECT 1 FROM digest_messages AS d WHERE d.message_id = m.id)";
    if (query.edited) sql += *query.edited ? " AND m.edited_at IS NOT NULL" : " AND m.edited_at IS NULL";
    if (query.deleted)
        sql += *query.deleted ? " AND m.deleted_observed_at IS NOT NULL" : " AND m.deleted_observed_at IS NULL";
    return sql;  // `contains` is checked in C++: SQLite's LIKE folds ASCII only, and chats are mostly Cyrillic
}

void bindMessageFilter(SQLite::Statement& statement, const MessageQuery& query) {
    int index = 0;
    statement.bind(++index, query.chatId);
    if (query.since) statement.bind(++index, *query.since);
    if (query.until) statement.bind(++index, *query.until);
    for (const auto& s : query.senders) statement.bind(++index, s);
    if (query.kind) statement.bind(++index, *query.kind == MessageKind::Service ? "service" : "message");
    for (const auto& t : query.attachmentTypes) statement.bind(++index, t);
}

namespace {

std::string messagesSql(const MessageQuery& query) {
    // id breaks (timestamp, seq) ties deterministically; the index (chat_id, timestamp, seq) ends with the rowid,
    // so SQLite walks it in this order without sorting.
    return "SELECT m.id, m.mid, m.seq, m.timestamp, m.sender_id, m.sender_name, m.text, m.reply_to, m.raw_json, "
           "m.kind, s.type, s.user_id, m.edited_at, m.deleted_observed_at "
           "FROM messages AS m LEFT JOIN service_events AS s ON s.message_id = m.id WHERE " +
           messageFilterSql(query) + " ORDER BY m.timestamp, m.seq, m.id";
}

}  // namespace

SqliteMessageCursor::SqliteMessageCursor(SQLite::Database& db, std::string path, const MessageQuery& query,
                                         const ImmutableFileWatch* watch)
    : _path(std::move(path)),
      _chatId(query.chatId),
      _filtersText(query.contains.has_value()),
      _messages(db, messagesSql(query)),
      // The media ledger entry of each attachment rides along: one statement per message, never one per attachment.
      _attachments(db, "SELECT a.type, a.payload_json, " + attachmentMediaColumns("md") +
                           " FROM attachments AS a LEFT JOIN media AS md ON md.chat_id = ?2 AND md.mid = ?3 AND "
                           "md.position = a.position WHERE a.message_id = ?1 ORDER BY a.position"),
      _revisions(db, "SELECT id, raw_json, text, replaced_at FROM message_revisions WHERE message_id = ?1 ORDER BY id"),
      _revisionAttachments(db,
                           "SELECT type, payload_json FROM revision_attachments WHERE revision_id = ?1 "
                           "ORDER BY position"),
      _watch(watch) {
    bindMessageFilter(_messages, query);
    if (query.contains) _foldedNeedle = foldCase(*query.contains);
}

bool SqliteMessageCursor::next() {
    while (step()) {
        if (!_filtersText || (_current.text && containsFolded(*_current.text, _foldedNeedle))) return true;
    }
    return false;
}

bool SqliteMessageCursor::step() {
    if (_done) return false;
    try {
        if (!_messages.executeStep()) {
            _done = true;
            _messages.tryReset();  // ends the read snapshot now rather than at destruction
            if (_watch) _watch->check();
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
        _attachments.bind(2, _chatId);
        _attachments.bind(3, m.mid);
        while (_attachments.executeStep()) {
            Attachment attachment{_attachments.getColumn(0).getString(), _attachments.getColumn(1).getString()};
            attachment.media = attachmentMediaFromRow(_attachments, 2);
            m.attachments.push_back(std::move(attachment));
        }
        m.editedAtMs = optionalInt64(_messages.getColumn(12));
        m.deletedObservedAtMs = optionalInt64(_messages.getColumn(13));
        if (m.editedAtMs) m.revisions = readRevisions(id);
        _current = std::move(m);
        return true;
    } catch (const SQLite::Exception& e) {
        _done = true;
        if (_watch) _watch->check();  // a torn read looks like a damaged file: say what it really is
        throw storageError(_path, "read the messages of " + _chatId, e);
    }
}

/// The kept versions of message `id`, oldest first, each with its attachments (only edited messages have any).
std::vector<MessageVersion> SqliteMessageCursor::readRevisions(std::int64_t id) {
    std::vector<MessageVersion> versions;
    _revisions.tryReset();
    _revisions.bind(1, id);
    while (_revisions.executeStep()) {
        MessageVersion version;
        version.rawJson = _revisions.getColumn(1).getString();
        version.text = optionalText(_revisions.getColumn(2));
        version.replacedAtMs = _revisions.getColumn(3).getInt64();
        _revisionAttachments.tryReset();
        _revisionAttachments.bind(1, _revisions.getColumn(0).getInt64());
        while (_revisionAttachments.executeStep())
            version.attachments.emplace_back(_revisionAttachments.getColumn(0).getString(),
                                             _revisionAttachments.getColumn(1).getString());
        versions.push_back(std::move(version));
    }
    return versions;
}

}  // namespace okarchive
