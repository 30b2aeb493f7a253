// The media ledger of SqliteArchive: tables media and media_revisions (migration 0005). commitPage's side of it is
// MediaWriter; the reads work on a read-only archive too.
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "domain/MediaLink.h"
#include "store/StoreErrors.h"
#include "store/sqlite/SqliteArchive.h"
#include "store/sqlite/SqliteColumns.h"
#include "store/sqlite/SqliteGuard.h"

namespace okarchive {

std::string attachmentMediaColumns(const std::string& alias) {
    const auto p = alias + ".";
    return p + "state, " + p + "sha256, " + p + "bytes, " + p + "mime, " + p + "last_error";
}

std::optional<AttachmentMedia> attachmentMediaFromRow(SQLite::Statement& row, int first) {
    if (row.isColumnNull(first)) return std::nullopt;
    AttachmentMedia media;
    media.state = parseMediaState(row.getColumn(first).getString()).value_or(MediaState::Pending);
    media.sha256 = row.getColumn(first + 1).getString();  // NULL reads as ""
    if (!row.isColumnNull(first + 2)) media.bytes = row.getColumn(first + 2).getInt64();
    media.mime = row.getColumn(first + 3).getString();
    if (media.state != MediaState::Saved) media.reason = row.getColumn(first + 4).getString();
    return media;
}

namespace {

/// A media row joined with its message (for the timestamp): the columns of itemFromRow.
std::string itemSql(const std::string& where) {
    return "SELECT md.chat_id, md.mid, md.position, md.type, md.identity, md.url, m.timestamp, md.http_status, "
           "md.attempts, md.refreshes, md.first_try_at, md.last_try_at, " +
           attachmentMediaColumns("md") +
           " FROM media AS md JOIN messages AS m ON m.chat_id = md.chat_id AND m.mid = md.mid WHERE " + where;
}

std::optional<std::int64_t> optionalInt(SQLite::Statement& row, int column) {
    if (row.isColumnNull(column)) return std::nullopt;
    return row.getColumn(column).getInt64();
}

MediaItem itemFromRow(SQLite::Statement& row) {
    MediaItem item;
    item.chatId = row.getColumn(0).getString();
    item.mid = row.getColumn(1).getString();
    item.position = row.getColumn(2).getInt();
    item.type = row.getColumn(3).getString();
    item.identity = row.getColumn(4).getString();
    item.url = row.getColumn(5).getString();
    item.timestamp = row.getColumn(6).getInt64();
    if (const auto status = optionalInt(row, 7)) item.httpStatus = static_cast<int>(*status);
    item.attempts = row.getColumn(8).getInt();
    item.refreshes = row.getColumn(9).getInt();
    item.firstTryAtMs = optionalInt(row, 10);
    item.lastTryAtMs = optionalInt(row, 11);
    item.media = *attachmentMediaFromRow(row, 12);
    return item;
}

std::vector<MediaItem> readItems(SQLite::Statement& query) {
    std::vector<MediaItem> items;
    while (query.executeStep()) items.push_back(itemFromRow(query));
    return items;
}

bool isSha256Hex(std::string_view text) {
    if (text.size() != 64) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::optional<std::string> unlessEmpty(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional(text);
}

/// One attachment of a chat archived before the ledger, without an entry yet.
struct Unseeded {
    std::int64_t messageId;
    std::string mid;
    int position;
    std::string type;
    std::string payloadJson;
};

constexpr std::int64_t kSeedBatch = 1000;

/// The next kSeedBatch attachments of the chat without an entry after (message id, position) `after`.
std::vector<Unseeded> unseededAfter(SQLite::Database& db, const std::string& chatId,
                                    std::pair<std::int64_t, int> after) {
    SQLite::Statement q(db,
                        "SELECT m.id, m.mid, a.position, a.type, a.payload_json FROM messages AS m "
                        "JOIN attachments AS a ON a.message_id = m.id WHERE m.chat_id = ?1 AND (m.id, a.position) > "
                        "(?2, ?3) AND NOT EXISTS (SELECT 1 FROM media AS md WHERE md.chat_id = m.chat_id AND "
                        "md.mid = m.mid AND md.position = a.position) ORDER BY m.id, a.position LIMIT ?4");
    SQLite::bind(q, chatId, after.first, after.second, kSeedBatch);
    std::vector<Unseeded> rows;
    while (q.executeStep())
        rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt(),
                        q.getColumn(3).getString(), q.getColumn(4).getString()});
    return rows;
}

/// Pending entries for those of `rows` that carry media; how many were added.
std::int64_t seedEntries(SQLite::Database& db, const std::string& chatId, const std::vector<Unseeded>& rows) {
    SQLite::Statement insert(
        db,
        "INSERT INTO media (chat_id, mid, position, type, identity, url) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (chat_id, mid, position) DO NOTHING");
    std::int64_t added = 0;
    for (const auto& row : rows) {
        const auto source = mediaSource(row.type, row.payloadJson);
        if (!source) continue;
        insert.reset();
        SQLite::bind(insert, chatId, row.mid, row.position, row.type, source->identity, source->url);
        added += insert.exec();
    }
    return added;
}

}  // namespace

std::int64_t SqliteArchive::seedMedia(const std::string& chatId) {
    return guarded(_path, "add media ledger entries for the attachments of " + chatId, [&]() -> std::int64_t {
        {
            SQLite::Statement seeded(_db, "SELECT media_seeded FROM chats WHERE chat_id = ?");
            seeded.bind(1, chatId);
            if (!seeded.executeStep() || seeded.getColumn(0).getInt() != 0) return 0;  // the one query of a run
        }
        std::int64_t added = 0;
        std::pair<std::int64_t, int> after{-1, -1};
        for (;;) {  // batches, each its own transaction: other writers are not held up by a large old chat
            SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
            const auto rows = unseededAfter(_db, chatId, after);
            added += seedEntries(_db, chatId, rows);
            if (static_cast<std::int64_t>(rows.size()) < kSeedBatch) {
                SQLite::Statement done(_db, "UPDATE chats SET media_seeded = 1 WHERE chat_id = ?");
                done.bind(1, chatId);
                done.exec();
                transaction.commit();
                return added;
            }
            after = {rows.back().messageId, rows.back().position};
            transaction.commit();
        }
    });
}

std::vector<MediaItem> SqliteArchive::mediaToFetch(const std::string& chatId, std::size_t limit, int maxAttempts) {
    return guarded(_path, "read the media to download for " + chatId, [&] {
        SQLite::Statement q(_db, itemSql("md.chat_id = ?1 AND (md.state = 'pending' OR (md.state = "
                                         "'failed_transient' AND md.attempts < ?2)) ORDER BY m.timestamp DESC, "
                                         "m.seq DESC, m.id DESC, md.position LIMIT ?3"));
        SQLite::bind(q, chatId, maxAttempts, static_cast<std::int64_t>(limit));
        return readItems(q);
    });
}

std::optional<AttachmentMedia> SqliteArchive::savedMedia(const std::string& identity) {
    return guarded(_path, "look up saved media", [&]() -> std::optional<AttachmentMedia> {
        const std::string columns = "state, sha256, bytes, mime, last_error";
        SQLite::Statement q(_db, "SELECT " + columns +
                                     " FROM media WHERE identity = ?1 AND state = 'saved' UNION ALL "
                                     "SELECT " +
                                     columns +
                                     " FROM media_revisions WHERE identity = ?1 AND state = 'saved' "
                                     "LIMIT 1");
        q.bind(1, identity);
        if (!q.executeStep()) return std::nullopt;
        return attachmentMediaFromRow(q, 0);
    });
}

void SqliteArchive::recordMediaOutcome(const std::string& chatId, const std::string& mid, int position,
                                       const MediaOutcome& outcome) {
    const auto action = fmt::format("record the media download of {} attachment {} in {}", mid, position, chatId);
    const bool saved = outcome.state == MediaState::Saved;
    if (saved && (!isSha256Hex(outcome.sha256) || !outcome.bytes))
        throw storageError(_path, action, "a saved download needs a 64-hex SHA-256 and its size",
                           "Nothing was recorded; this is an okarchive bug, please report it.");
    guarded(_path, action, [&] {
        SQLite::Statement update(
            _db,
            "UPDATE media SET state = ?4, http_status = ?5, bytes = ?6, mime = ?7, sha256 = ?8, last_error = ?9, "
            "attempts = attempts + 1, first_try_at = COALESCE(first_try_at, ?10), last_try_at = ?10 "
            "WHERE chat_id = ?1 AND mid = ?2 AND position = ?3 AND (?11 = '' OR identity = ?11) "
            "AND (state <> 'saved' OR ?4 = 'saved')");
        SQLite::bind(update, chatId, mid, position, std::string(mediaStateName(outcome.state)));
        bindOptional(update, 5, outcome.httpStatus ? std::optional<std::int64_t>(*outcome.httpStatus) : std::nullopt);
        bindOptional(update, 6, outcome.bytes);
        bindOptional(update, 7, unlessEmpty(outcome.mime));
        bindOptional(update, 8, saved ? std::optional(outcome.sha256) : std::nullopt);
        bindOptional(update, 9, saved ? std::nullopt : unlessEmpty(outcome.error));
        update.bind(10, outcome.atMs);
        update.bind(11, outcome.identity);
        update.exec();  // one statement: concurrent writers' increments and outcomes are never lost
    });
}

void SqliteArchive::recordMediaRefresh(const std::string& chatId, const std::string& mid, int position) {
    guarded(_path, fmt::format("record a link refresh of {} attachment {} in {}", mid, position, chatId), [&] {
        SQLite::Statement update(_db,
                                 "UPDATE media SET refreshes = refreshes + 1 WHERE chat_id = ? AND mid = ? AND "
                                 "position = ?");
        SQLite::bind(update, chatId, mid, position);
        update.exec();
    });
}

std::vector<MediaCount> SqliteArchive::mediaCounts(const std::optional<std::string>& chatId) {
    return guarded(_path, "count the media" + (chatId ? " of " + *chatId : std::string()), [&] {
        SQLite::Statement q(_db, std::string("SELECT chat_id, type, state, count(*), COALESCE(sum(bytes), 0) FROM "
                                             "media ") +
                                     (chatId ? "WHERE chat_id = ? " : "") + "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
        if (chatId) q.bind(1, *chatId);
        std::vector<MediaCount> counts;
        while (q.executeStep())
            counts.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                              parseMediaState(q.getColumn(2).getString()).value_or(MediaState::Pending),
                              q.getColumn(3).getInt64(), q.getColumn(4).getInt64()});
        return counts;
    });
}

std::vector<MediaItem> SqliteArchive::mediaItems(const std::optional<std::string>& chatId,
                                                 std::optional<MediaState> state) {
    return guarded(_path, "read the media ledger" + (chatId ? " of " + *chatId : std::string()), [&] {
        SQLite::Statement q(
            _db, itemSql(std::string(chatId ? "md.chat_id = ?1" : "?1 IS NULL") + (state ? " AND md.state = ?2" : "") +
                         " ORDER BY md.chat_id, m.timestamp, m.seq, m.id, md.position"));
        bindOptional(q, 1, chatId);
        if (state) q.bind(2, std::string(mediaStateName(*state)));
        return readItems(q);
    });
}

std::vector<MediaRevision> SqliteArchive::mediaRevisions(const std::string& chatId, const std::string& mid) {
    return guarded(_path, "read the earlier media of " + mid + " in " + chatId, [&] {
        SQLite::Statement q(_db, "SELECT position, type, identity, url, replaced_at, " + attachmentMediaColumns("r") +
                                     " FROM media_revisions AS r WHERE chat_id = ? AND mid = ? ORDER BY id");
        SQLite::bind(q, chatId, mid);
        std::vector<MediaRevision> revisions;
        while (q.executeStep())
            revisions.push_back({q.getColumn(0).getInt(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                                 q.getColumn(3).getString(), *attachmentMediaFromRow(q, 5), q.getColumn(4).getInt64()});
        return revisions;
    });
}

}  // namespace okarchive
