// The statistics aggregates of SqliteReader: plain SQL over the archive's indexes, read row by row through the C API.
#include <limits>

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include "store/sqlite/SqliteColumns.h"
#include "store/sqlite/SqliteGuard.h"
#include "store/sqlite/SqliteReader.h"
#include "store/sqlite/StatementUse.h"

namespace okarchive {
namespace {

/// A prepared statement over the raw C API: the hot loops read a million rows, and SQLiteCpp's Column objects (one
/// shared_ptr copy each) would cost more than SQLite itself. Errors throw SQLite::Exception.
class RawStatement {
public:
    RawStatement(sqlite3* db, const char* sql) : _db(db) {
        if (const int rc = sqlite3_prepare_v2(db, sql, -1, &_statement, nullptr); rc != SQLITE_OK)
            throw SQLite::Exception(db, rc);
    }
    ~RawStatement() { sqlite3_finalize(_statement); }
    RawStatement(const RawStatement&) = delete;
    RawStatement& operator=(const RawStatement&) = delete;

    /// ?1 chat id, ?2 since (inclusive), ?3 until (exclusive), ?4 (when the statement has it) excludeDigests.
    RawStatement& bindRange(const StatsRange& range) {
        sqlite3_bind_text(_statement, 1, range.chatId.data(), static_cast<int>(range.chatId.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(_statement, 2, range.since.value_or(std::numeric_limits<std::int64_t>::min()));
        sqlite3_bind_int64(_statement, 3, range.until.value_or(std::numeric_limits<std::int64_t>::max()));
        if (sqlite3_bind_parameter_count(_statement) >= 4)
            sqlite3_bind_int(_statement, 4, range.excludeDigests ? 1 : 0);
        return *this;
    }
    RawStatement& bind(int index, std::int64_t value) {
        sqlite3_bind_int64(_statement, index, value);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(_statement);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw SQLite::Exception(_db, rc);
    }
    bool isNull(int column) const { return sqlite3_column_type(_statement, column) == SQLITE_NULL; }
    std::int64_t integer(int column) const { return sqlite3_column_int64(_statement, column); }
    std::string_view text(int column) const {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(_statement, column));
        return data ? std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(_statement, column)))
                    : std::string_view();
    }

private:
    sqlite3* _db;
    sqlite3_stmt* _statement = nullptr;
};

std::string statsAction(const StatsRange& range) { return "compute the statistics of " + range.chatId; }

/// The condition leaving out the bot's posted digests (digest_messages) when ?4 is 1; `row` names the messages row.
std::string notDigest(const std::string& row) {
    return " AND (?4 = 0 OR NOT EXISTS (SELECT 1 FROM digest_messages AS d WHERE d.message_id = " + row + ".id))";
}

}  // namespace

RangeBounds SqliteReader::rangeBounds(const StatsRange& range) {
    return guarded(_path, statsAction(range), [&] {
        // ORDER BY ... LIMIT 1 rather than min()/max(): the index walk stops at the first row the filter keeps.
        const std::string inRange =
            "FROM messages WHERE chat_id = ?1 AND timestamp >= ?2 AND timestamp < ?3" + notDigest("messages");
        const std::string sql = "SELECT (SELECT timestamp " + inRange +
                                " ORDER BY timestamp LIMIT 1), (SELECT timestamp " + inRange +
                                " ORDER BY timestamp DESC LIMIT 1), (SELECT max(id) FROM messages)";
        RawStatement bounds(_db.getHandle(), sql.c_str());
        bounds.bindRange(range).step();
        RangeBounds result;
        if (!bounds.isNull(0)) result.first = bounds.integer(0);
        if (!bounds.isNull(1)) result.last = bounds.integer(1);
        result.maxKey = bounds.integer(2);
        return result;
    });
}

void SqliteReader::forEachReply(const StatsRange& range, const std::function<void(std::int64_t, std::int64_t)>& visit) {
    // The partial index messages_replies; targets through the (chat_id, mid) index without reading their rows.
    guarded(_path, statsAction(range), [&] {
        const std::string sql =
            "SELECT r.timestamp, t.id FROM messages r JOIN messages t ON t.chat_id = r.chat_id AND "
            "t.mid = r.reply_to WHERE r.chat_id = ?1 AND r.reply_to IS NOT NULL AND r.timestamp >= ?2 "
            "AND r.timestamp < ?3" +
            notDigest("r");
        RawStatement q(_db.getHandle(), sql.c_str());
        q.bindRange(range);
        while (q.step()) visit(q.integer(0), q.integer(1));
        checkUnchanged();
    });
}

void SqliteReader::forEachMessage(const StatsRange& range,
                                  const std::function<void(std::int64_t, std::string_view, std::int64_t)>& visit) {
    // The covering index messages_by_kind_time.
    guarded(_path, statsAction(range), [&] {
        const std::string sql =
            "SELECT timestamp, sender_id, id FROM messages WHERE chat_id = ?1 AND kind = 'message' "
            "AND timestamp >= ?2 AND timestamp < ?3" +
            notDigest("messages") + " ORDER BY timestamp";
        RawStatement scan(_db.getHandle(), sql.c_str());
        scan.bindRange(range);
        while (scan.step()) visit(scan.integer(0), scan.text(1), scan.integer(2));
        checkUnchanged();
    });
}

void SqliteReader::forEachServiceMessage(const StatsRange& range, const std::function<void(std::int64_t)>& visit) {
    guarded(_path, statsAction(range), [&] {
        RawStatement ids(_db.getHandle(),
                         "SELECT id FROM messages WHERE chat_id = ?1 AND kind = 'service' AND timestamp >= ?2 "
                         "AND timestamp < ?3");
        ids.bindRange(range);
        while (ids.step()) visit(ids.integer(0));
        checkUnchanged();
    });
}

void SqliteReader::forEachServiceQuarter(
    const StatsRange& range,
    const std::function<void(std::int64_t, std::optional<std::string_view>, std::int64_t)>& visit) {
    guarded(_path, statsAction(range), [&] {
        RawStatement events(_db.getHandle(),
                            "SELECT (m.timestamp - ((m.timestamp % 900000) + 900000) % 900000) AS quarter, e.type, "
                            "count(*) FROM messages m LEFT JOIN service_events e ON e.message_id = m.id "
                            "WHERE m.chat_id = ?1 AND m.kind = 'service' AND m.timestamp >= ?2 AND m.timestamp < ?3 "
                            "GROUP BY quarter, e.type ORDER BY quarter");
        events.bindRange(range);
        while (events.step()) {
            std::optional<std::string_view> type;
            if (!events.isNull(1)) type = events.text(1);
            visit(events.integer(0), type, events.integer(2));
        }
        checkUnchanged();
    });
}

void SqliteReader::forEachAttachment(std::int64_t lowKey, std::int64_t highKey,
                                     const std::function<void(std::int64_t, std::string_view)>& visit) {
    // The (message_id, type) index between the bounds; the caller joins with its key set in memory (a merge join
    // SQLite cannot do: it would probe the attachments once per message).
    guarded(_path, "count the attachments", [&] {
        RawStatement q(_db.getHandle(), "SELECT message_id, type FROM attachments WHERE message_id BETWEEN ?1 AND ?2");
        q.bind(1, lowKey).bind(2, highKey);
        while (q.step()) visit(q.integer(0), q.text(1));
        checkUnchanged();
    });
}

std::optional<std::int64_t> SqliteReader::timestampOfKey(std::int64_t key) {
    return guarded(_path, "read a message's time", [&]() -> std::optional<std::int64_t> {
        StatementUse q(preparedOnce(_timestampOfKey, _db, "SELECT timestamp FROM messages WHERE id = ?1"));
        q->bind(1, key);
        if (!q->executeStep()) return std::nullopt;
        return q->getColumn(0).getInt64();
    });
}

void SqliteReader::forEachChange(const StatsRange& range,
                                 const std::function<void(std::int64_t, std::string_view, ChangeKind)>& visit) {
    guarded(_path, statsAction(range), [&] {
        // Only edited or deleted messages: the partial indexes messages_edited and messages_deleted.
        const std::string sql =
            "SELECT r.replaced_at, m.sender_id, 0 FROM messages AS m JOIN message_revisions AS r "
            "ON r.message_id = m.id WHERE m.chat_id = ?1 AND m.timestamp >= ?2 AND m.timestamp < ?3 "
            "AND m.edited_at IS NOT NULL" + notDigest("m") +
            " UNION ALL SELECT m.deleted_observed_at, m.sender_id, 1 FROM messages AS m WHERE m.chat_id = ?1 "
            "AND m.timestamp >= ?2 AND m.timestamp < ?3 AND m.deleted_observed_at IS NOT NULL" + notDigest("m") +
            " ORDER BY 1, 3";
        RawStatement changes(_db.getHandle(), sql.c_str());
        changes.bindRange(range);
        while (changes.step())
            visit(changes.integer(0), changes.text(1), changes.integer(2) ? ChangeKind::Deletion : ChangeKind::Edit);
    });
}

}  // namespace okarchive
