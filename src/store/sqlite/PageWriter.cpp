#include "PageWriter.h"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "SqliteColumns.h"
#include "domain/MediaLink.h"
#include "store/AttachmentUrl.h"
#include "store/StoreErrors.h"
#include "StatementUse.h"
#include "domain/CoverageSet.h"
#include "domain/Errors.h"

namespace okarchive {
PageWriter::PageWriter(SQLite::Database& db, std::string path)
    : _db(db),
      _path(std::move(path)),
      _ensureChat(db,
                  "INSERT INTO chats (chat_id, first_seen_at, updated_at) VALUES (?1, ?2, ?2) "
                  "ON CONFLICT (chat_id) DO NOTHING"),
      _insertMessage(db,
                     "INSERT INTO messages (seq, timestamp, sender_id, sender_name, kind, text, reply_to, raw_json, "
                     "chat_id, mid, first_archived_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                     "ON CONFLICT (chat_id, mid) DO NOTHING"),
      _findMessage(db, "SELECT id, raw_json, deleted_observed_at IS NOT NULL FROM messages WHERE chat_id = ?1 AND mid = ?2"),
      _keepRevision(db,
                    "INSERT INTO message_revisions (message_id, raw_json, text, replaced_at) "
                    "SELECT id, raw_json, text, ?2 FROM messages WHERE id = ?1"),
      _keepRevisionAttachments(db,
                               "INSERT INTO revision_attachments (revision_id, position, type, payload_json) "
                               "SELECT ?1, position, type, payload_json FROM attachments WHERE message_id = ?2"),
      _markEdited(db, "UPDATE messages SET edited_at = ?2 WHERE id = ?1"),
      _updateMessage(db,
                     "UPDATE messages SET seq = ?1, timestamp = ?2, sender_id = ?3, sender_name = ?4, kind = ?5, "
                     "text = ?6, reply_to = ?7, raw_json = ?8 WHERE id = ?9"),
      _deleteAttachments(db, "DELETE FROM attachments WHERE message_id = ?1"),
      _deleteServiceEvent(db, "DELETE FROM service_events WHERE message_id = ?1"),
      _insertAttachment(db,
                        "INSERT INTO attachments (message_id, position, type, payload_json, url) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)"),
      _insertServiceEvent(db, "INSERT INTO service_events (message_id, type, user_id) VALUES (?1, ?2, ?3)"),
      _upsertSender(db,
                    "INSERT INTO senders (user_id, name, first_seen_ts, last_seen_ts) VALUES (?1, ?2, ?3, ?4) "
                    "ON CONFLICT (user_id, name) DO UPDATE SET "
                    "first_seen_ts = min(first_seen_ts, excluded.first_seen_ts), "
                    "last_seen_ts = max(last_seen_ts, excluded.last_seen_ts)"),
      _coverageBefore(db, "SELECT lo, hi FROM coverage WHERE chat_id = ?1 AND lo < ?2 ORDER BY lo DESC LIMIT 1"),
      _coverageWithin(db, "SELECT lo, hi FROM coverage WHERE chat_id = ?1 AND lo BETWEEN ?2 AND ?3 ORDER BY lo"),
      _deleteCoverage(db, "DELETE FROM coverage WHERE chat_id = ?1 AND lo = ?2"),
      _insertCoverage(db, "INSERT INTO coverage (chat_id, lo, hi) VALUES (?1, ?2, ?3)"),
      _insertQuarantined(db,
                         "INSERT INTO quarantined_messages (chat_id, timestamp, reason, raw_json, first_seen_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (chat_id, raw_json) DO NOTHING"),
      _markArchived(db, "UPDATE chats SET archived = 1 WHERE chat_id = ?1 AND archived = 0"),
      _media(db),
      _deletions(db) {}

void PageWriter::ensureChat(const std::string& chatId, std::int64_t nowMs) {
    StatementUse use(_ensureChat);
    use->bind(1, chatId);
    use->bind(2, nowMs);
    use->exec();
}

void PageWriter::ensureArchivedChat(const std::string& chatId, std::int64_t nowMs) {
    ensureChat(chatId, nowMs);
    StatementUse use(_markArchived);
    use->bind(1, chatId);
    use->exec();
}

/// Keeps an undecodable message verbatim in the chat's quarantine; says whether it was new.
bool PageWriter::quarantine(const std::string& chatId, const Message& message, std::int64_t nowMs) {
    StatementUse insert(_insertQuarantined);
    insert->bind(1, chatId);
    bindOptional(*insert, 2, message.hasTimestamp ? std::optional(message.timestamp) : std::nullopt);
    insert->bind(3, message.undecodable.value_or(""));
    insert->bind(4, message.rawJson);
    insert->bind(5, nowMs);
    return insert->exec() == 1;
}

PageWriteResult PageWriter::write(const std::string& chatId, const std::vector<Message>& messages,
                                  const std::vector<TimeRange>& proven, std::int64_t nowMs) {
    PageWriteResult result;
    ensureArchivedChat(chatId, nowMs);
    // (user, name) -> (first, last) message timestamp, folded per page: one upsert per distinct sender.
    std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>> senders;

    for (const auto& message : messages) {
        if (message.undecodable) {
            if (quarantine(chatId, message, nowMs)) ++result.quarantined;
            continue;
        }
        if (!message.chatId.empty() && message.chatId != chatId) {
            throw storageError(_path, "archive a page of " + chatId,
                               fmt::format("message {} belongs to {}, not to {}", message.mid, message.chatId, chatId),
                               "The page was not archived; this is an okarchive bug, please report it.");
        }
        switch (writeMessage(chatId, message, nowMs, result)) {
            case Outcome::Unchanged: ++result.unchanged; continue;
            case Outcome::Inserted: ++result.inserted; break;
            case Outcome::Revised: ++result.revised; break;
            case Outcome::LinksRefreshed: ++result.linksRefreshed; break;
        }
        if (!message.senderId.empty()) {
            auto [it, fresh] =
                senders.try_emplace({message.senderId, message.senderName}, message.timestamp, message.timestamp);
            if (!fresh) {
                it->second.first = std::min(it->second.first, message.timestamp);
                it->second.second = std::max(it->second.second, message.timestamp);
            }
        }
    }

    for (const auto& [who, seen] : senders) {
        StatementUse upsert(_upsertSender);
        upsert->bind(1, who.first);
        upsert->bind(2, who.second);
        upsert->bind(3, seen.first);
        upsert->bind(4, seen.second);
        upsert->exec();
    }
    mergeCoverage(chatId, proven);
    return result;
}

PageWriter::Outcome PageWriter::writeMessage(const std::string& chatId, const Message& message, std::int64_t nowMs,
                                             PageWriteResult& result) {
    if (const auto id = insertNew(chatId, message, nowMs)) {
        _media.addNew(chatId, message);  // (inserts rows of its own: the message's id is taken before)
        if (message.flaggedDeleted) followDeletion(chatId, message, *id, false, nowMs, result);
        return Outcome::Inserted;
    }
    const auto stored = storedRow(chatId, message);
    followDeletion(chatId, message, stored.id, stored.deleted, nowMs, result);
    if (!stored.changedRawJson) return Outcome::Unchanged;
    // Fresh signed links alone are no edit (ok-graph-api.md, "Media links"): the row takes them, no revision.
    const bool linksOnly = sameExceptVolatileLinks(*stored.changedRawJson, message.rawJson);
    rewrite(stored.id, message, nowMs, !linksOnly);
    _media.follow(chatId, message, nowMs);
    return linksOnly ? Outcome::LinksRefreshed : Outcome::Revised;
}

void PageWriter::followDeletion(const std::string& chatId, const Message& message, std::int64_t id,
                                bool markedDeleted, std::int64_t nowMs, PageWriteResult& result) {
    if (message.flaggedDeleted && !markedDeleted) {
        if (_deletions.mark(id, chatId, message.mid, nowMs)) ++result.deleted;
    } else if (!message.flaggedDeleted && markedDeleted) {
        _deletions.clear(id, chatId, message.mid, nowMs);
        ++result.restored;
    }
}

/// Inserts the message with its details unless (chat_id, mid) is archived already; its row id when it did.
std::optional<std::int64_t> PageWriter::insertNew(const std::string& chatId, const Message& message,
                                                  std::int64_t nowMs) {
    StatementUse insert(_insertMessage);
    bindContent(*insert, message);
    insert->bind(9, chatId);
    insert->bind(10, message.mid);
    insert->bind(11, nowMs);
    // Not RETURNING id: SQLite buffers RETURNING rows in a temporary table, measurably slower here.
    if (insert->exec() != 1) return std::nullopt;
    const std::int64_t id = _db.getLastInsertRowid();
    writeDetails(id, message);
    return id;
}

/// The archived (chat_id, mid): its id, whether it is marked deleted, and its raw JSON when that differs byte for
/// byte from `message`'s (when it is the same, nothing is copied).
PageWriter::StoredRow PageWriter::storedRow(const std::string& chatId, const Message& message) {
    StatementUse find(_findMessage);
    find->bind(1, chatId);
    find->bind(2, message.mid);
    if (!find->executeStep())
        throw storageError(_path, "archive " + message.mid + " of " + chatId, "it conflicted but cannot be found",
                           "The archive may be damaged: restore it from a backup, or report this okarchive bug.");
    StoredRow row{find->getColumn(0).getInt64(), std::nullopt, find->getColumn(2).getInt() != 0};
    const auto stored = find->getColumn(1);
    const char* bytes = static_cast<const char*>(stored.getBlob());  // blob first, then its size
    const auto size = static_cast<std::size_t>(stored.getBytes());
    if (size != message.rawJson.size() || !std::equal(message.rawJson.begin(), message.rawJson.end(), bytes))
        row.changedRawJson = std::string(bytes, size);
    return row;
}

/// Changed content: keeps the stored version (unless `keepRevision` is false: fresh links only), then replaces the
/// row and its details.
void PageWriter::rewrite(std::int64_t id, const Message& message, std::int64_t nowMs, bool keepRevision) {
    if (keepRevision) {
        {
            StatementUse keep(_keepRevision);
            keep->bind(1, id);
            keep->bind(2, nowMs);
            keep->exec();
        }
        StatementUse attachments(_keepRevisionAttachments);  // before writeDetails replaces them
        attachments->bind(1, _db.getLastInsertRowid());
        attachments->bind(2, id);
        attachments->exec();
        StatementUse edited(_markEdited);
        edited->bind(1, id);
        edited->bind(2, nowMs);
        edited->exec();
    }
    {
        StatementUse update(_updateMessage);
        bindContent(*update, message);
        update->bind(9, id);
        update->exec();
    }
    for (auto* statement : {&_deleteAttachments, &_deleteServiceEvent}) {
        StatementUse clear(*statement);
        clear->bind(1, id);
        clear->exec();
    }
    writeDetails(id, message);
}

void PageWriter::bindContent(SQLite::Statement& statement, const Message& message) {
    statement.bind(1, message.seq);
    statement.bind(2, message.timestamp);
    statement.bind(3, message.senderId);
    statement.bind(4, message.senderName);
    statement.bind(5, message.service ? "service" : "message");
    bindOptional(statement, 6, message.text);
    bindOptional(statement, 7, message.replyTo);
    statement.bind(8, message.rawJson);
}

void PageWriter::writeDetails(std::int64_t messageId, const Message& message) {
    int position = 0;
    for (const auto& attachment : message.attachments) {
        StatementUse insert(_insertAttachment);
        insert->bind(1, messageId);
        insert->bind(2, position++);
        insert->bind(3, attachment.type);
        insert->bind(4, attachment.payloadJson);
        bindOptional(*insert, 5, attachmentUrl(attachment.payloadJson));
        insert->exec();
    }
    if (message.service) {
        StatementUse insert(_insertServiceEvent);
        insert->bind(1, messageId);
        insert->bind(2, message.service->type);
        bindOptional(*insert, 3, message.service->userId);
        insert->exec();
    }
}

void PageWriter::mergeCoverage(const std::string& chatId, const std::vector<TimeRange>& proven) {
    // The stored rows are disjoint with gaps between them, so a new range can only meet the last row starting before
    // it and the rows starting inside it (or right after it): read and rewrite just those, however fragmented the
    // chat's coverage is.
    for (const auto& range : proven) {
        if (range.empty()) continue;
        std::vector<TimeRange> touching;
        {
            StatementUse before(_coverageBefore);
            before->bind(1, chatId);
            before->bind(2, range.lo);
            if (before->executeStep()) {
                TimeRange row{before->getColumn(0).getInt64(), before->getColumn(1).getInt64()};
                if (row.hi >= range.lo - 1) touching.push_back(row);  // row.lo < range.lo: no underflow
            }
        }
        {
            StatementUse within(_coverageWithin);
            within->bind(1, chatId);
            within->bind(2, range.lo);
            within->bind(3, range.hi == TimeRange::kMax ? range.hi : range.hi + 1);
            while (within->executeStep()) {
                touching.push_back({within->getColumn(0).getInt64(), within->getColumn(1).getInt64()});
            }
        }
        CoverageSet merged(touching);
        merged.add(range);
        const TimeRange result = merged.ranges().front();                  // everything touching `range` merges with it
        if (touching.size() == 1 && touching.front() == result) continue;  // already covered
        for (const auto& row : touching) {
            StatementUse remove(_deleteCoverage);
            remove->bind(1, chatId);
            remove->bind(2, row.lo);
            remove->exec();
        }
        StatementUse insert(_insertCoverage);
        insert->bind(1, chatId);
        insert->bind(2, result.lo);
        insert->bind(3, result.hi);
        insert->exec();
    }
}

}  // namespace okarchive
