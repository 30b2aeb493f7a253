#include "service/SummaryLedger.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "store/Archive.h"

namespace okarchive {

std::optional<SummaryLedger::Row> SummaryLedger::find(const std::string& chatId, const SummaryPeriod& period) {
    SQLite::Statement q(_archive.database(),
                        "SELECT id, text, state, attempted_at, posted_at, COALESCE(last_error, '') FROM summary_posts "
                        "WHERE chat_id = ? AND period_start = ? AND period_end = ? AND forced = 0");
    q.bind(1, chatId);
    q.bind(2, static_cast<std::int64_t>(period.start));
    q.bind(3, static_cast<std::int64_t>(period.end));
    if (!q.executeStep()) return std::nullopt;
    Row row;
    row.id = q.getColumn(0).getInt64();
    row.text = q.getColumn(1).getString();
    row.state = q.getColumn(2).getString();
    row.attemptedAt = q.getColumn(3).getInt64();
    if (!q.getColumn(4).isNull()) row.postedAt = q.getColumn(4).getInt64();
    row.lastError = q.getColumn(5).getString();
    return row;
}

std::vector<std::pair<SummaryPeriod, std::string>> SummaryLedger::pendingIntents(const std::string& chatId) {
    SQLite::Statement q(_archive.database(),
                        "SELECT period_start, period_end, period_label, text FROM summary_posts WHERE chat_id = ? AND "
                        "state = 'intent' AND forced = 0 ORDER BY period_start");
    q.bind(1, chatId);
    std::vector<std::pair<SummaryPeriod, std::string>> out;
    while (q.executeStep())
        out.push_back({{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString()},
                       q.getColumn(3).getString()});
    return out;
}

std::int64_t SummaryLedger::recordIntent(const std::string& chatId, const SummaryPeriod& period,
                                         const std::string& text, bool forced, std::int64_t nowMs) {
    auto& db = _archive.database();
    SQLite::Transaction tx(db);
    std::int64_t id = 0;
    if (!forced) {
        if (const auto row = find(chatId, period)) id = row->id;
    }
    if (id) {
        SQLite::Statement u(db,
                            "UPDATE summary_posts SET state = 'intent', attempts = attempts + 1, attempted_at = ? "
                            "WHERE id = ?");
        u.bind(1, static_cast<std::int64_t>(nowMs));
        u.bind(2, static_cast<std::int64_t>(id));
        u.exec();
    } else {
        _archive.ensureChat(chatId);
        SQLite::Statement i(db,
                            "INSERT INTO summary_posts (chat_id, period_start, period_end, period_label, text, state, "
                            "forced, attempts, attempted_at) VALUES (?, ?, ?, ?, ?, 'intent', ?, 1, ?)");
        i.bind(1, chatId);
        i.bind(2, static_cast<std::int64_t>(period.start));
        i.bind(3, static_cast<std::int64_t>(period.end));
        i.bind(4, period.label);
        i.bind(5, text);
        i.bind(6, forced ? 1 : 0);
        i.bind(7, static_cast<std::int64_t>(nowMs));
        i.exec();
        id = db.getLastInsertRowid();
    }
    tx.commit();  // the intent is durable before the POST leaves
    return id;
}

void SummaryLedger::recordPosted(std::int64_t id, std::int64_t nowMs) {
    SQLite::Statement u(_archive.database(),
                        "UPDATE summary_posts SET state = 'posted', posted_at = ?, last_error = NULL WHERE id = ?");
    u.bind(1, static_cast<std::int64_t>(nowMs));
    u.bind(2, static_cast<std::int64_t>(id));
    u.exec();
}

void SummaryLedger::recordFailure(std::int64_t id, const std::string& error) {
    SQLite::Statement u(_archive.database(), "UPDATE summary_posts SET last_error = ? WHERE id = ?");
    u.bind(1, error);
    u.bind(2, static_cast<std::int64_t>(id));
    u.exec();
}

std::optional<std::int64_t> SummaryLedger::findArchivedText(const std::string& chatId, const std::string& text,
                                                            std::int64_t sinceMs) {
    SQLite::Statement q(
        _archive.database(),
        "SELECT id FROM messages WHERE chat_id = ? AND timestamp >= ? AND kind = 'message' AND text = ? "
        "ORDER BY timestamp LIMIT 1");
    q.bind(1, chatId);
    q.bind(2, static_cast<std::int64_t>(sinceMs));
    q.bind(3, text);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getInt64();
}

int SummaryLedger::tagArchivedDigests(const std::string& chatId) {
    auto& db = _archive.database();
    // Posted digests not tagged yet: each is looked for by its exact text from shortly before its attempt.
    SQLite::Statement q(db,
                        "SELECT id, text, attempted_at FROM summary_posts WHERE chat_id = ? AND state = 'posted' "
                        "AND message_id IS NULL");
    q.bind(1, chatId);
    std::vector<std::tuple<std::int64_t, std::string, std::int64_t>> pending;
    while (q.executeStep())
        pending.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64());
    int tagged = 0;
    for (const auto& [id, text, attemptedAt] : pending) {
        SQLite::Statement m(db,
                            "SELECT m.id FROM messages m WHERE m.chat_id = ? AND m.timestamp >= ? AND m.kind = "
                            "'message' AND m.text = ? AND m.id NOT IN (SELECT message_id FROM digest_messages) "
                            "ORDER BY m.timestamp LIMIT 1");
        m.bind(1, chatId);
        m.bind(2, static_cast<std::int64_t>(attemptedAt - kClockSlackMs));
        m.bind(3, text);
        if (!m.executeStep()) continue;
        const auto messageId = m.getColumn(0).getInt64();
        SQLite::Transaction tx(db);
        SQLite::Statement tag(db, "INSERT OR IGNORE INTO digest_messages (message_id, summary_id) VALUES (?, ?)");
        tag.bind(1, static_cast<std::int64_t>(messageId));
        tag.bind(2, static_cast<std::int64_t>(id));
        tag.exec();
        SQLite::Statement link(db, "UPDATE summary_posts SET message_id = ? WHERE id = ?");
        link.bind(1, static_cast<std::int64_t>(messageId));
        link.bind(2, static_cast<std::int64_t>(id));
        link.exec();
        tx.commit();
        ++tagged;
    }
    return tagged;
}

}  // namespace okarchive
