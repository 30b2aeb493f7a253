#include "Archive.h"

#include <algorithm>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "Database.h"
#include "Migrator.h"
#include "PageWriter.h"
#include "SqliteMessageCursor.h"
#include "StoreErrors.h"
#include "domain/TextFold.h"

namespace okarchive {
namespace {

int migrate(SQLite::Database& db, const std::string& path) {
    return Migrator(db, path, Migrator::embedded()).migrate();
}

std::optional<std::string> optionalText(const SQLite::Column& column) {
    if (column.isNull()) return std::nullopt;
    return column.getString();
}

void bindOptional(SQLite::Statement& statement, int index, const std::optional<std::string>& value) {
    if (value)
        statement.bind(index, *value);
    else
        statement.bind(index);
}

/// Reads coverage rows (lo, hi) of the chat bound to `query`.
std::vector<TimeRange> readRanges(SQLite::Statement& query) {
    std::vector<TimeRange> ranges;
    while (query.executeStep()) ranges.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getInt64()});
    return ranges;
}

}  // namespace

struct Archive::Impl {
    explicit Impl(const std::string& p) : path(p), db(openDatabase(p)), migrationsApplied(migrate(db, p)), writer(db) {}

    /// Runs `body`, turning SQLite failures into a StorageError that names the file and `action`.
    template <class Body>
    decltype(auto) run(const std::string& action, Body&& body) {
        try {
            return body();
        } catch (const SQLite::Exception& e) {
            throw storageError(path, action, e);
        }
    }

    std::string path;
    SQLite::Database db;    // declared before every statement: destroyed after them
    int migrationsApplied;  // by this open; sequenced before the writer prepares statements on the tables
    PageWriter writer;
};

Archive::Archive(const std::string& path) {
    try {
        _impl = std::make_unique<Impl>(path);
    } catch (const SQLite::Exception& e) {
        throw storageError(path, "prepare the archive", e);
    }
}

Archive::~Archive() = default;

PageWriteResult Archive::commitPage(const std::string& chatId, const std::vector<Message>& messages,
                                    const std::vector<TimeRange>& proven) {
    return _impl->run("archive a page of " + chatId, [&] {
        // IMMEDIATE takes the write lock up front: with several writers a deferred transaction that reads first
        // could fail with SQLITE_BUSY instead of waiting out the busy timeout.
        SQLite::Transaction transaction(_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        PageWriteResult result = _impl->writer.write(chatId, messages, proven, nowMs());
        transaction.commit();
        return result;
    });
}

CoverageSet Archive::coverage(const std::string& chatId) {
    return _impl->run("read the coverage of " + chatId, [&] {
        SQLite::Statement query(_impl->db, "SELECT lo, hi FROM coverage WHERE chat_id = ? ORDER BY lo");
        query.bind(1, chatId);
        return CoverageSet(readRanges(query));
    });
}

void Archive::upsertChat(const ChatInfo& info) {
    _impl->run("store the metadata of " + info.chatId, [&] {
        SQLite::Transaction transaction(_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        std::int64_t now = nowMs();
        SQLite::Statement current(_impl->db, "SELECT raw_json FROM chats WHERE chat_id = ?");
        current.bind(1, info.chatId);
        if (current.executeStep() && !current.isColumnNull(0)) {
            std::string previous = current.getColumn(0).getString();
            if (previous == info.rawJson) return;  // nothing changed; the transaction rolls back
            SQLite::Statement keep(_impl->db,
                                   "INSERT INTO chat_revisions (chat_id, raw_json, replaced_at) VALUES (?, ?, ?)");
            keep.bind(1, info.chatId);
            keep.bind(2, previous);
            keep.bind(3, now);
            keep.exec();
        }
        current.reset();
        SQLite::Statement upsert(_impl->db,
                                 "INSERT INTO chats (chat_id, type, status, title, owner_id, participants_count, "
                                 "raw_json, first_seen_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
                                 "ON CONFLICT (chat_id) DO UPDATE SET type = excluded.type, status = excluded.status, "
                                 "title = excluded.title, owner_id = excluded.owner_id, "
                                 "participants_count = excluded.participants_count, raw_json = excluded.raw_json, "
                                 "updated_at = excluded.updated_at");
        upsert.bind(1, info.chatId);
        upsert.bind(2, info.type);
        upsert.bind(3, info.status);
        upsert.bind(4, info.title);
        bindOptional(upsert, 5, info.ownerId);
        if (info.participantsCount)
            upsert.bind(6, static_cast<std::int64_t>(*info.participantsCount));
        else
            upsert.bind(6);
        upsert.bind(7, info.rawJson);
        upsert.bind(8, now);
        upsert.exec();
        transaction.commit();
    });
}

void Archive::ensureChat(const std::string& chatId) {
    _impl->run("register " + chatId, [&] { _impl->writer.ensureChat(chatId, nowMs()); });
}

std::vector<std::string> Archive::archivedChatIds() {
    return _impl->run("list the archived chats", [&] {
        std::vector<std::string> ids;
        SQLite::Statement query(_impl->db, "SELECT chat_id FROM chats ORDER BY chat_id");
        while (query.executeStep()) ids.push_back(query.getColumn(0).getString());
        return ids;
    });
}

std::optional<bool> Archive::fromBoundInclusive(const std::string& chatId) {
    return _impl->run("read the bound semantics of " + chatId, [&]() -> std::optional<bool> {
        SQLite::Statement query(_impl->db, "SELECT from_bound_inclusive FROM chats WHERE chat_id = ?");
        query.bind(1, chatId);
        if (!query.executeStep() || query.isColumnNull(0)) return std::nullopt;
        return query.getColumn(0).getInt() != 0;
    });
}

void Archive::setFromBoundInclusive(const std::string& chatId, bool inclusive) {
    _impl->run("record the bound semantics of " + chatId, [&] {
        SQLite::Transaction transaction(_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        _impl->writer.ensureChat(chatId, nowMs());
        SQLite::Statement update(_impl->db, "UPDATE chats SET from_bound_inclusive = ? WHERE chat_id = ?");
        update.bind(1, inclusive ? 1 : 0);
        update.bind(2, chatId);
        update.exec();
        transaction.commit();
    });
}

void Archive::recordWarning(const SyncWarning& warning) {
    _impl->run("record a warning for " + warning.chatId, [&] {
        SQLite::Transaction transaction(_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        std::int64_t now = nowMs();
        _impl->writer.ensureChat(warning.chatId, now);
        SQLite::Statement insert(_impl->db,
                                 "INSERT INTO sync_warnings (chat_id, kind, timestamp, detail, recorded_at) "
                                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, kind, timestamp) DO NOTHING");
        insert.bind(1, warning.chatId);
        insert.bind(2, warning.kind);
        insert.bind(3, warning.timestamp);
        insert.bind(4, warning.detail);
        insert.bind(5, warning.recordedAtMs != 0 ? warning.recordedAtMs : now);
        insert.exec();
        transaction.commit();
    });
}

void Archive::recordSyncRun(const SyncRunRecord& run) {
    _impl->run("record a sync run of " + run.chatId, [&] {
        SQLite::Transaction transaction(_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        _impl->writer.ensureChat(run.chatId, nowMs());
        SQLite::Statement insert(_impl->db,
                                 "INSERT INTO sync_runs (chat_id, started_at, finished_at, result, messages_added, "
                                 "requests, error) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, run.chatId);
        insert.bind(2, run.startedAtMs);
        insert.bind(3, run.finishedAtMs);
        insert.bind(4, run.result);
        insert.bind(5, run.messagesAdded);
        insert.bind(6, run.requests);
        bindOptional(insert, 7, run.error.empty() ? std::nullopt : std::optional<std::string>(run.error));
        insert.exec();
        transaction.commit();
    });
}

namespace {

/// The metadata in a row of (chat_id, type, status, title, owner_id, participants_count, raw_json); nothing while
/// no API call has described the chat.
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

}  // namespace

std::optional<ChatInfo> Archive::chatInfo(const std::string& chatId) {
    return _impl->run("read the metadata of " + chatId, [&] {
        SQLite::Statement row(_impl->db,
                              "SELECT chat_id, type, status, title, owner_id, participants_count, raw_json "
                              "FROM chats WHERE chat_id = ?");
        row.bind(1, chatId);
        return row.executeStep() ? chatInfoFromRow(row) : std::nullopt;
    });
}

std::optional<std::string> Archive::latestSenderName(const std::string& userId) {
    return _impl->run("read the names of " + userId, [&]() -> std::optional<std::string> {
        SQLite::Statement q(_impl->db, "SELECT name FROM senders WHERE user_id = ? ORDER BY last_seen_ts DESC LIMIT 1");
        q.bind(1, userId);
        if (!q.executeStep()) return std::nullopt;
        return q.getColumn(0).getString();
    });
}

std::vector<ChatStatus> Archive::chatStatuses() {
    return _impl->run("read the archive status", [&] {
        auto& db = _impl->db;
        // One read transaction: every figure comes from the same snapshot.
        SQLite::Transaction transaction(db);
        SQLite::Statement chats(db,
                                "SELECT chat_id, type, status, title, owner_id, participants_count, raw_json "
                                "FROM chats ORDER BY chat_id");
        // Served by the index (chat_id, timestamp, seq) alone.
        SQLite::Statement stats(db, "SELECT count(*), min(timestamp), max(timestamp) FROM messages WHERE chat_id = ?");
        SQLite::Statement lastRun(db,
                                  "SELECT started_at, finished_at, result, messages_added, requests, error "
                                  "FROM sync_runs WHERE chat_id = ? ORDER BY finished_at DESC, id DESC LIMIT 1");
        SQLite::Statement coverage(db, "SELECT lo, hi FROM coverage WHERE chat_id = ? ORDER BY lo");
        SQLite::Statement warnings(db,
                                   "SELECT kind, timestamp, detail, recorded_at FROM sync_warnings "
                                   "WHERE chat_id = ? ORDER BY timestamp, kind");
        std::vector<ChatStatus> result;
        while (chats.executeStep()) {
            ChatStatus status;
            status.chatId = chats.getColumn(0).getString();
            status.info = chatInfoFromRow(chats);
            for (auto* statement : {&stats, &lastRun, &coverage, &warnings}) {
                statement->reset();
                statement->bind(1, status.chatId);
            }
            stats.executeStep();
            status.messages = stats.getColumn(0).getInt64();
            if (!stats.isColumnNull(1)) status.oldestTimestamp = stats.getColumn(1).getInt64();
            if (!stats.isColumnNull(2)) status.newestTimestamp = stats.getColumn(2).getInt64();
            if (lastRun.executeStep()) {
                SyncRunRecord run;
                run.chatId = status.chatId;
                run.startedAtMs = lastRun.getColumn(0).getInt64();
                run.finishedAtMs = lastRun.getColumn(1).getInt64();
                run.result = lastRun.getColumn(2).getString();
                run.messagesAdded = lastRun.getColumn(3).getInt64();
                run.requests = lastRun.getColumn(4).getInt64();
                run.error = lastRun.getColumn(5).getString();
                status.lastRun = std::move(run);
            }
            status.coverage = readRanges(coverage);
            while (warnings.executeStep()) {
                status.warnings.push_back({status.chatId, warnings.getColumn(0).getString(),
                                           warnings.getColumn(1).getInt64(), warnings.getColumn(2).getString(),
                                           warnings.getColumn(3).getInt64()});
            }
            result.push_back(std::move(status));
        }
        return result;  // the read transaction ends (rolls back) here
    });
}

std::int64_t Archive::messageCount(const std::string& chatId) {
    return _impl->run("count the messages of " + chatId, [&] {
        SQLite::Statement query(_impl->db, "SELECT count(*) FROM messages WHERE chat_id = ?");
        query.bind(1, chatId);
        query.executeStep();
        return query.getColumn(0).getInt64();
    });
}

std::int64_t Archive::countMessages(const MessageQuery& query) {
    if (query.contains) {  // the text filter lives in C++: count what the cursor yields, streaming
        auto cursor = openCursor(query);
        std::int64_t n = 0;
        while (cursor->next()) ++n;
        return n;
    }
    return _impl->run("count the messages of " + query.chatId, [&] {
        SQLite::Statement count(_impl->db, "SELECT count(*) FROM messages AS m WHERE " + messageFilterSql(query));
        bindMessageFilter(count, query);
        count.executeStep();
        return count.getColumn(0).getInt64();
    });
}

std::optional<Message> Archive::findMessage(const std::string& chatId, const std::string& mid) {
    // The cursor over a one-message range reuses the row decoding; (chat_id, mid) is unique.
    const auto row = _impl->run("look up " + mid + " in " + chatId, [&]() -> std::optional<std::int64_t> {
        SQLite::Statement q(_impl->db, "SELECT timestamp FROM messages WHERE chat_id = ? AND mid = ?");
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

bool matchesQuery(const MessageQuery& query, const Message& m) {
    auto among = [](const std::vector<std::string>& set, const std::string& v) {
        return set.empty() || std::find(set.begin(), set.end(), v) != set.end();
    };
    if (query.since && m.timestamp < *query.since) return false;
    if (query.until && m.timestamp >= *query.until) return false;
    if (!among(query.senders, m.senderId)) return false;
    if (query.kind && m.kind() != *query.kind) return false;
    if (!query.attachmentTypes.empty() &&
        std::none_of(m.attachments.begin(), m.attachments.end(),
                     [&](const Attachment& a) { return among(query.attachmentTypes, a.type); }))
        return false;
    if (query.contains && !(m.text && containsFolded(*m.text, foldCase(*query.contains)))) return false;
    return true;
}

std::unique_ptr<MessageCursor> Archive::openCursor(const MessageQuery& query) {
    return _impl->run("read the messages of " + query.chatId, [&]() -> std::unique_ptr<MessageCursor> {
        return std::make_unique<SqliteMessageCursor>(_impl->db, _impl->path, query);
    });
}

SQLite::Database& Archive::database() { return _impl->db; }

const std::string& Archive::path() const { return _impl->path; }

int Archive::schemaVersion() {
    const auto& migrations = Migrator::embedded();
    return migrations.empty() ? 0 : migrations.back().version;
}

}  // namespace okarchive
