// The digest ledger of SqliteArchive: tables summary_posts and digest_messages (migration 0003).
#include <algorithm>
#include <tuple>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "store/sqlite/SqliteArchive.h"
#include "store/sqlite/SqliteColumns.h"
#include "store/sqlite/SqliteGuard.h"

namespace okarchive {
namespace {

constexpr const char* kDigestColumns =
    "id, period_start, period_end, period_label, forced, text, state, attempts, attempted_at, posted_at, "
    "COALESCE(last_error, ''), message_id, search_from";

/// A row of kDigestColumns.
DigestRow digestFromRow(SQLite::Statement& q) {
    DigestRow row;
    row.id = q.getColumn(0).getInt64();
    row.period = {q.getColumn(1).getInt64(), q.getColumn(2).getInt64(), q.getColumn(3).getString()};
    row.forced = q.getColumn(4).getInt() != 0;
    row.text = q.getColumn(5).getString();
    row.state = q.getColumn(6).getString();
    row.attempts = q.getColumn(7).getInt64();
    row.attemptedAt = q.getColumn(8).getInt64();
    if (!q.getColumn(9).isNull()) row.postedAt = q.getColumn(9).getInt64();
    row.lastError = q.getColumn(10).getString();
    if (!q.getColumn(11).isNull()) row.messageKey = q.getColumn(11).getInt64();
    if (!q.getColumn(12).isNull()) row.searchFrom = q.getColumn(12).getInt64();
    return row;
}

std::optional<DigestRow> findDigestRow(SQLite::Database& db, const std::string& chatId, std::int64_t periodStart,
                                       std::int64_t periodEnd) {
    SQLite::Statement q(db, std::string("SELECT ") + kDigestColumns +
                                " FROM summary_posts WHERE chat_id = ? AND period_start = ? AND period_end = ? AND "
                                "forced = 0");
    SQLite::bind(q, chatId, periodStart, periodEnd);
    if (!q.executeStep()) return std::nullopt;
    return digestFromRow(q);
}

/// The newest archived timestamp of the chat (0 for a chat with no messages): the server's clock, not ours.
std::int64_t newestArchivedTimestamp(SQLite::Database& db, const std::string& chatId) {
    SQLite::Statement q(db, "SELECT COALESCE(max(timestamp), 0) FROM messages WHERE chat_id = ?");
    q.bind(1, chatId);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

std::int64_t insertIntent(SQLite::Database& db, const std::string& chatId, const DigestPeriod& period,
                          const std::string& text, bool forced, std::int64_t nowMs) {
    SQLite::Statement i(db,
                        "INSERT INTO summary_posts (chat_id, period_start, period_end, period_label, text, state, "
                        "forced, attempts, attempted_at, search_from) VALUES (?, ?, ?, ?, ?, 'intent', ?, 1, ?, ?)");
    SQLite::bind(i, chatId, period.start, period.end, period.label, text, forced ? 1 : 0, nowMs,
                 newestArchivedTimestamp(db, chatId));
    i.exec();
    return db.getLastInsertRowid();
}

/// Where a digest attempted at `attemptedAtMs` (our clock) may be in the chat's history: stamped at or after
/// `sinceMs` (the server's clock), or archived at or after the attempt (our clock again, so skew cancels). Either alone
/// can miss it: the first when the history holds a message stamped in the future, the second when our clock steps
/// back between the attempt and the sync that archived it.
const std::string kAttemptWindow = "(m.timestamp >= ? OR m.first_archived_at >= ?)";

/// The earliest untagged non-service message of the chat with exactly `text` in the window of an attempt, leaving
/// out the keys in `taken` as well (those a read-only caller chose for earlier digests).
std::optional<std::int64_t> untaggedMessageWithText(SQLite::Database& db, const std::string& chatId,
                                                    const std::string& text, std::int64_t sinceMs,
                                                    std::int64_t attemptedAtMs,
                                                    const std::vector<std::int64_t>& taken = {}) {
    SQLite::Statement m(db, "SELECT m.id FROM messages m WHERE m.chat_id = ? AND " + kAttemptWindow +
                                " AND m.kind = 'message' AND m.text = ? AND m.id NOT IN (SELECT message_id FROM "
                                "digest_messages) ORDER BY m.timestamp");
    SQLite::bind(m, chatId, sinceMs, attemptedAtMs, text);
    while (m.executeStep()) {
        const auto id = m.getColumn(0).getInt64();
        if (std::find(taken.begin(), taken.end(), id) == taken.end()) return id;
    }
    return std::nullopt;
}

/// The posted digests of the chat not linked to their message yet: id, text, where to look from, attempt time.
std::vector<std::tuple<std::int64_t, std::string, std::int64_t, std::int64_t>> untaggedDigests(
    SQLite::Database& db, const std::string& chatId, std::int64_t clockSlackMs) {
    SQLite::Statement q(db,
                        "SELECT id, text, COALESCE(search_from, attempted_at - ?), attempted_at FROM "
                        "summary_posts WHERE chat_id = ? AND state = 'posted' AND message_id IS NULL ORDER BY id");
    SQLite::bind(q, clockSlackMs, chatId);
    std::vector<std::tuple<std::int64_t, std::string, std::int64_t, std::int64_t>> pending;
    while (q.executeStep())
        pending.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
                             q.getColumn(3).getInt64());
    return pending;
}

void tagDigest(SQLite::Database& db, std::int64_t digestId, std::int64_t messageId) {
    SQLite::Statement tag(db, "INSERT OR IGNORE INTO digest_messages (message_id, summary_id) VALUES (?, ?)");
    SQLite::bind(tag, messageId, digestId);
    tag.exec();
    SQLite::Statement link(db, "UPDATE summary_posts SET message_id = ? WHERE id = ?");
    SQLite::bind(link, messageId, digestId);
    link.exec();
}

}  // namespace

std::optional<DigestRow> SqliteArchive::findDigest(const std::string& chatId, std::int64_t periodStart,
                                                   std::int64_t periodEnd) {
    return guarded(_path, "read the digest ledger of " + chatId,
                   [&] { return findDigestRow(_db, chatId, periodStart, periodEnd); });
}

std::vector<DigestRow> SqliteArchive::digests(const std::string& chatId) {
    return guarded(_path, "read the digest ledger of " + chatId, [&] {
        SQLite::Statement q(_db, std::string("SELECT ") + kDigestColumns +
                                     " FROM summary_posts WHERE chat_id = ? ORDER BY period_start, id");
        q.bind(1, chatId);
        std::vector<DigestRow> rows;
        while (q.executeStep()) rows.push_back(digestFromRow(q));
        return rows;
    });
}

std::vector<std::pair<DigestPeriod, std::string>> SqliteArchive::pendingDigests(const std::string& chatId) {
    return guarded(_path, "read the pending digests of " + chatId, [&] {
        SQLite::Statement q(_db,
                            "SELECT period_start, period_end, period_label, text FROM summary_posts WHERE chat_id = ? "
                            "AND state = 'intent' AND forced = 0 ORDER BY period_start");
        q.bind(1, chatId);
        std::vector<std::pair<DigestPeriod, std::string>> out;
        while (q.executeStep())
            out.push_back({{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString()},
                           q.getColumn(3).getString()});
        return out;
    });
}

std::int64_t SqliteArchive::recordDigestIntent(const std::string& chatId, const DigestPeriod& period,
                                               const std::string& text, bool forced, std::int64_t nowMs) {
    return guarded(_path, "record the digest intent of " + chatId, [&] {
        // Reads, then writes: IMMEDIATE takes the write lock first, so a second writer waits instead of failing.
        SQLite::Transaction tx(_db, SQLite::TransactionBehavior::IMMEDIATE);
        std::int64_t id = 0;
        if (!forced) {
            if (const auto row = findDigestRow(_db, chatId, period.start, period.end)) id = row->id;
        }
        if (id) {
            SQLite::Statement u(_db,
                                "UPDATE summary_posts SET state = 'intent', attempts = attempts + 1, attempted_at = ?, "
                                "search_from = ? WHERE id = ?");
            SQLite::bind(u, nowMs, newestArchivedTimestamp(_db, chatId), id);
            u.exec();
        } else {
            _writer.ensureChat(chatId, _env.wallMs());
            id = insertIntent(_db, chatId, period, text, forced, nowMs);
        }
        tx.commit();  // the intent is durable before the POST leaves
        return id;
    });
}

void SqliteArchive::recordDigestPosted(std::int64_t id, std::int64_t nowMs) {
    guarded(_path, "record a posted digest", [&] {
        SQLite::Statement u(_db,
                            "UPDATE summary_posts SET state = 'posted', posted_at = ?, last_error = NULL WHERE id = ?");
        SQLite::bind(u, nowMs, id);
        u.exec();
    });
}

void SqliteArchive::recordDigestFailure(std::int64_t id, const std::string& error) {
    guarded(_path, "record a failed digest", [&] {
        SQLite::Statement u(_db, "UPDATE summary_posts SET last_error = ? WHERE id = ?");
        SQLite::bind(u, error, id);
        u.exec();
    });
}

std::optional<std::int64_t> SqliteArchive::findArchivedText(const std::string& chatId, const std::string& text,
                                                            std::int64_t sinceMs, std::int64_t attemptedAtMs) {
    return guarded(_path, "look for a digest in " + chatId, [&]() -> std::optional<std::int64_t> {
        SQLite::Statement q(_db, "SELECT m.id FROM messages m WHERE m.chat_id = ? AND " + kAttemptWindow +
                                     " AND m.kind = 'message' AND m.text = ? ORDER BY m.timestamp LIMIT 1");
        SQLite::bind(q, chatId, sinceMs, attemptedAtMs, text);
        if (!q.executeStep()) return std::nullopt;
        return q.getColumn(0).getInt64();
    });
}

int SqliteArchive::tagArchivedDigests(const std::string& chatId, std::int64_t clockSlackMs) {
    return guarded(_path, "tag the archived digests of " + chatId, [&] {
        // Reads, then writes: one IMMEDIATE transaction, so two writers cannot tag one message twice or fail busy.
        SQLite::Transaction tx(_db, SQLite::TransactionBehavior::IMMEDIATE);
        int tagged = 0;
        for (const auto& [id, text, searchFrom, attemptedAt] : untaggedDigests(_db, chatId, clockSlackMs)) {
            // Each is looked for by its exact text among the messages that may be its attempt's (kAttemptWindow).
            const auto messageId = untaggedMessageWithText(_db, chatId, text, searchFrom, attemptedAt);
            if (!messageId) continue;
            tagDigest(_db, id, *messageId);
            ++tagged;
        }
        tx.commit();
        return tagged;
    });
}

std::vector<std::int64_t> SqliteArchive::untaggedDigestMessages(const std::string& chatId, std::int64_t clockSlackMs) {
    return guarded(_path, "look for the digests in " + chatId, [&] {
        SQLite::Transaction read(_db);  // one snapshot; rolled back at the end, nothing was written
        std::vector<std::int64_t> keys;
        for (const auto& [id, text, searchFrom, attemptedAt] : untaggedDigests(_db, chatId, clockSlackMs))
            if (const auto key = untaggedMessageWithText(_db, chatId, text, searchFrom, attemptedAt, keys))
                keys.push_back(*key);
        std::sort(keys.begin(), keys.end());
        return keys;
    });
}

}  // namespace okarchive
