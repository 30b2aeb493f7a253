#include "store/sqlite/SqliteArchive.h"

#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "store/StoreErrors.h"
#include "store/sqlite/Database.h"
#include "store/sqlite/Migrator.h"
#include "store/sqlite/SqliteColumns.h"
#include "store/sqlite/SqliteGuard.h"

namespace okarchive {
namespace {

/// Migrates a read-write connection (returns how many migrations ran); checks a read-only one is current.
int migrate(SQLite::Database& db, const std::string& path, Env& env, ArchiveMode mode) {
    Migrator migrator(db, path, Migrator::embedded(), env);
    if (mode == ArchiveMode::ReadWrite) return migrator.migrate();
    migrator.requireCurrent();
    return 0;
}

SQLite::Database connect(const std::string& path, ArchiveMode mode) {
    return mode == ArchiveMode::ReadOnly ? openDatabaseReadOnly(path) : openDatabase(path);
}

/// Reads coverage rows (lo, hi) of the chat bound to `query`.
std::vector<TimeRange> readRanges(SQLite::Statement& query) {
    std::vector<TimeRange> ranges;
    while (query.executeStep()) ranges.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getInt64()});
    return ranges;
}

/// The connection a snapshot reads through, opened before (and closed after) the reader using it.
struct SnapshotConnection {
    SnapshotConnection(const std::string& path, ArchiveMode mode)
        : db(connect(path, mode)), watch(db, path), transaction(db, SQLite::TransactionBehavior::DEFERRED) {
        // A deferred transaction takes its snapshot at its first read: read now, so the view is of this moment.
        db.execAndGet("SELECT count(*) FROM schema_migrations");
    }
    SQLite::Database db;
    ImmutableFileWatch watch;
    SQLite::Transaction transaction;  // never committed: rolls back (nothing was written) on destruction
};

class SqliteSnapshot : private SnapshotConnection, public SqliteReader {
public:
    SqliteSnapshot(const std::string& path, ArchiveMode mode)
        : SnapshotConnection(path, mode), SqliteReader(db, path, &watch) {}
};

}  // namespace

template <class Body>
decltype(auto) SqliteArchive::guard(const std::string& action, Body&& body) {
    return guarded(_path, action, std::forward<Body>(body));
}

SqliteArchive::SqliteArchive(const std::string& path, Env& env, ArchiveMode mode) try
    : _path(path),
      _env(env),
      _mode(mode),
      _db(connect(path, mode)),
      _migrationsApplied(migrate(_db, path, env, mode)),
      _watch(_db, path),
      _writer(_db, path),
      _reader(_db, _path, &_watch) {
} catch (const SQLite::Exception& e) {
    throw storageError(path, "prepare the archive", e);
}

SqliteArchive::~SqliteArchive() = default;

PageWriteResult SqliteArchive::commitPage(const std::string& chatId, const std::vector<Message>& messages,
                                          const std::vector<TimeRange>& proven) {
    return guard("archive a page of " + chatId, [&] {
        // IMMEDIATE takes the write lock up front: with several writers a deferred transaction that reads first
        // could fail with SQLITE_BUSY instead of waiting out the busy timeout.
        SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
        PageWriteResult result = _writer.write(chatId, messages, proven, _env.wallMs());
        transaction.commit();
        return result;
    });
}

PageWriteResult SqliteArchive::commitRecheckPage(const std::string& chatId, const std::vector<Message>& messages,
                                                 const std::vector<TimeRange>& proven, const RecheckStep& step) {
    return guard("archive a re-checked page of " + chatId, [&] {
        SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
        const auto nowMs = _env.wallMs();
        PageWriteResult result = _writer.write(chatId, messages, proven, nowMs);
        result.deleted += _writer.markAbsent(chatId, messages, step.repaged, nowMs);
        movePass(chatId, step.remaining, nowMs);
        transaction.commit();
        return result;
    });
}

/// The open pass of `chatId` now has `remaining` left, or (nullopt) is complete: it becomes the last re-check.
/// Without an open pass (no startRecheck) nothing moves: a pending range without its window could never complete.
void SqliteArchive::movePass(const std::string& chatId, const std::optional<TimeRange>& remaining, std::int64_t nowMs) {
    SQLite::Statement update(_db, remaining
        ? "UPDATE chats SET recheck_pending_lo = ?2, recheck_pending_hi = ?3 "
          "WHERE chat_id = ?1 AND recheck_window_lo IS NOT NULL"
        : "UPDATE chats SET last_recheck_at = ?4, last_recheck_lo = recheck_window_lo, "
          "last_recheck_hi = recheck_window_hi, recheck_window_lo = NULL, recheck_window_hi = NULL, "
          "recheck_pending_lo = NULL, recheck_pending_hi = NULL, recheck_started_at = NULL "
          "WHERE chat_id = ?1 AND recheck_window_lo IS NOT NULL");
    update.bind(1, chatId);
    if (remaining) {
        update.bind(2, remaining->lo);
        update.bind(3, remaining->hi);
    } else {
        update.bind(4, nowMs);
    }
    update.exec();
}

void SqliteArchive::startRecheck(const std::string& chatId, TimeRange window) {
    guard("start a re-check of " + chatId, [&] {
        SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
        _writer.ensureChat(chatId, _env.wallMs());
        SQLite::Statement update(_db,
                                 "UPDATE chats SET recheck_window_lo = ?2, recheck_window_hi = ?3, "
                                 "recheck_pending_lo = ?2, recheck_pending_hi = ?3, recheck_started_at = ?4 "
                                 "WHERE chat_id = ?1");
        update.bind(1, chatId);
        update.bind(2, window.lo);
        update.bind(3, window.hi);
        update.bind(4, _env.wallMs());
        update.exec();
        transaction.commit();
    });
}

RecheckState SqliteArchive::recheckState(const std::string& chatId) {
    return guard("read the re-check of " + chatId, [&] {
        SQLite::Statement query(_db,
                                "SELECT recheck_pending_lo, recheck_pending_hi, recheck_started_at, last_recheck_at, "
                                "last_recheck_lo, last_recheck_hi FROM chats WHERE chat_id = ?1");
        query.bind(1, chatId);
        RecheckState state;
        if (!query.executeStep()) return state;
        const auto range = [&query](int lo) -> std::optional<TimeRange> {
            if (query.getColumn(lo).isNull()) return std::nullopt;
            return TimeRange{query.getColumn(lo).getInt64(), query.getColumn(lo + 1).getInt64()};
        };
        state.pending = range(0);
        state.passStartedAtMs = optionalInt64(query.getColumn(2));
        state.lastCompletedAtMs = optionalInt64(query.getColumn(3));
        state.lastCompletedRange = range(4);
        return state;
    });
}

CoverageSet SqliteArchive::coverage(const std::string& chatId) {
    return guard("read the coverage of " + chatId, [&] {
        SQLite::Statement query(_db, "SELECT lo, hi FROM coverage WHERE chat_id = ? ORDER BY lo");
        query.bind(1, chatId);
        return CoverageSet(readRanges(query));
    });
}

void SqliteArchive::upsertChat(const ChatInfo& info) {
    guard("store the metadata of " + info.chatId, [&] {
        SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
        std::int64_t now = _env.wallMs();
        SQLite::Statement current(_db, "SELECT raw_json FROM chats WHERE chat_id = ?");
        current.bind(1, info.chatId);
        if (current.executeStep() && !current.isColumnNull(0)) {
            std::string previous = current.getColumn(0).getString();
            if (previous == info.rawJson) return;  // nothing changed; the transaction rolls back
            SQLite::Statement keep(_db, "INSERT INTO chat_revisions (chat_id, raw_json, replaced_at) VALUES (?, ?, ?)");
            keep.bind(1, info.chatId);
            keep.bind(2, previous);
            keep.bind(3, now);
            keep.exec();
        }
        current.reset();
        SQLite::Statement upsert(_db,
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

void SqliteArchive::ensureChat(const std::string& chatId) {
    guard("register " + chatId, [&] { _writer.ensureChat(chatId, _env.wallMs()); });
}

std::vector<std::string> SqliteArchive::archivedChatIds() {
    return guard("list the archived chats", [&] { return chatIds(true); });
}

std::vector<std::string> SqliteArchive::neverArchivedChatIds() {
    return guard("list the chats never archived", [&] { return chatIds(false); });
}

std::vector<std::string> SqliteArchive::chatIds(bool archived) {
    std::vector<std::string> ids;
    SQLite::Statement query(_db, "SELECT chat_id FROM chats WHERE archived = ? ORDER BY chat_id");
    query.bind(1, archived ? 1 : 0);
    while (query.executeStep()) ids.push_back(query.getColumn(0).getString());
    return ids;
}

std::vector<QuarantinedMessage> SqliteArchive::quarantined(const std::string& chatId) {
    return guard("read the quarantined messages of " + chatId, [&] {
        SQLite::Statement query(_db,
                                "SELECT timestamp, reason, raw_json, first_seen_at FROM quarantined_messages "
                                "WHERE chat_id = ? ORDER BY id");
        query.bind(1, chatId);
        std::vector<QuarantinedMessage> out;
        while (query.executeStep()) {
            std::optional<std::int64_t> timestamp;
            if (!query.isColumnNull(0)) timestamp = query.getColumn(0).getInt64();
            out.push_back({chatId, timestamp, query.getColumn(1).getString(), query.getColumn(2).getString(),
                           query.getColumn(3).getInt64()});
        }
        return out;
    });
}

std::optional<bool> SqliteArchive::fromBoundInclusive(const std::string& chatId) {
    return guard("read the bound semantics of " + chatId, [&]() -> std::optional<bool> {
        SQLite::Statement query(_db, "SELECT from_bound_inclusive FROM chats WHERE chat_id = ?");
        query.bind(1, chatId);
        if (!query.executeStep() || query.isColumnNull(0)) return std::nullopt;
        return query.getColumn(0).getInt() != 0;
    });
}

void SqliteArchive::setFromBoundInclusive(const std::string& chatId, bool inclusive) {
    guard("record the bound semantics of " + chatId, [&] {
        SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
        _writer.ensureChat(chatId, _env.wallMs());
        SQLite::Statement update(_db, "UPDATE chats SET from_bound_inclusive = ? WHERE chat_id = ?");
        update.bind(1, inclusive ? 1 : 0);
        update.bind(2, chatId);
        update.exec();
        transaction.commit();
    });
}

void SqliteArchive::recordWarning(const SyncWarning& warning) {
    guard("record a warning for " + warning.chatId, [&] {
        SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
        std::int64_t now = _env.wallMs();
        _writer.ensureChat(warning.chatId, now);
        SQLite::Statement insert(_db,
                                 "INSERT INTO sync_warnings (chat_id, kind, timestamp, detail, recorded_at) "
                                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, kind, timestamp) DO NOTHING");
        SQLite::bind(insert, warning.chatId, warning.kind, warning.timestamp, warning.detail,
                     warning.recordedAtMs != 0 ? warning.recordedAtMs : now);
        insert.exec();
        transaction.commit();
    });
}

void SqliteArchive::recordSyncRun(const SyncRunRecord& run) {
    guard("record a sync run of " + run.chatId, [&] {
        SQLite::Transaction transaction(_db, SQLite::TransactionBehavior::IMMEDIATE);
        if (run.result == "ok")
            _writer.ensureArchivedChat(run.chatId, _env.wallMs());
        else
            _writer.ensureChat(run.chatId, _env.wallMs());
        SQLite::Statement insert(_db,
                                 "INSERT INTO sync_runs (chat_id, started_at, finished_at, result, messages_added, "
                                 "requests, error) VALUES (?, ?, ?, ?, ?, ?, ?)");
        SQLite::bind(insert, run.chatId, run.startedAtMs, run.finishedAtMs, run.result, run.messagesAdded,
                     run.requests);
        bindOptional(insert, 7, run.error.empty() ? std::nullopt : std::optional<std::string>(run.error));
        insert.exec();
        transaction.commit();
    });
}

namespace {

/// The per-chat statements of chatStatuses, prepared once for all chats.
struct StatusQueries {
    explicit StatusQueries(SQLite::Database& db)
        : stats(db, "SELECT count(*), min(timestamp), max(timestamp) FROM messages WHERE chat_id = ?"),
          lastRun(db,
                  "SELECT started_at, finished_at, result, messages_added, requests, error "
                  "FROM sync_runs WHERE chat_id = ? ORDER BY finished_at DESC, id DESC LIMIT 1"),
          syncedOk(db, "SELECT EXISTS (SELECT 1 FROM sync_runs WHERE chat_id = ? AND result = 'ok')"),
          coverage(db, "SELECT lo, hi FROM coverage WHERE chat_id = ? ORDER BY lo"),
          warnings(db,
                   "SELECT kind, timestamp, detail, recorded_at FROM sync_warnings WHERE chat_id = ?1 "
                   "UNION ALL SELECT 'quarantined', COALESCE(timestamp, 0), "
                   "'a message the API sent could not be decoded and is kept apart (quarantined, raw JSON kept): ' "
                   "|| reason, first_seen_at FROM quarantined_messages WHERE chat_id = ?1 ORDER BY 2, 1"),
          changes(db,
                  "SELECT (SELECT count(*) FROM message_revisions AS r JOIN messages AS m ON m.id = r.message_id "
                  "WHERE m.chat_id = ?1 AND m.edited_at IS NOT NULL), "
                  "(SELECT count(*) FROM messages WHERE chat_id = ?1 AND deleted_observed_at IS NOT NULL), "
                  "last_recheck_at, recheck_pending_lo, recheck_pending_hi FROM chats WHERE chat_id = ?1") {}

    void fill(ChatStatus& status) {
        for (auto* statement : {&stats, &lastRun, &syncedOk, &coverage, &warnings, &changes}) {
            statement->reset();
            statement->bind(1, status.chatId);
        }
        stats.executeStep();  // served by the index (chat_id, timestamp, seq) alone
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
        syncedOk.executeStep();
        status.syncedOk = syncedOk.getColumn(0).getInt() != 0;
        status.coverage = readRanges(coverage);
        while (warnings.executeStep()) {
            status.warnings.push_back({status.chatId, warnings.getColumn(0).getString(),
                                       warnings.getColumn(1).getInt64(), warnings.getColumn(2).getString(),
                                       warnings.getColumn(3).getInt64()});
        }
        if (changes.executeStep()) {  // the revisions and deletions through the partial indexes: the few changed
            status.revisions = changes.getColumn(0).getInt64();
            status.deletions = changes.getColumn(1).getInt64();
            status.lastRecheckAtMs = optionalInt64(changes.getColumn(2));
            if (!changes.isColumnNull(3))
                status.recheckPending = TimeRange{changes.getColumn(3).getInt64(), changes.getColumn(4).getInt64()};
        }
    }

    SQLite::Statement stats, lastRun, syncedOk, coverage, warnings, changes;
};

}  // namespace

std::vector<ChatStatus> SqliteArchive::chatStatuses() {
    return guard("read the archive status", [&] {
        SQLite::Transaction transaction(_db);  // one read transaction: every figure comes from the same snapshot
        SQLite::Statement chats(_db, std::string("SELECT ") + kChatColumns + ", archived FROM chats ORDER BY chat_id");
        StatusQueries queries(_db);
        std::vector<ChatStatus> result;
        while (chats.executeStep()) {
            ChatStatus status;
            status.chatId = chats.getColumn(0).getString();
            status.info = chatInfoFromRow(chats);
            status.archived = chats.getColumn(7).getInt() != 0;
            queries.fill(status);
            result.push_back(std::move(status));
        }
        return result;  // the read transaction ends (rolls back) here
    });
}

std::vector<std::string> SqliteArchive::neverSyncedChatIds() {
    return guard("list the chats never synced successfully", [&] {
        SQLite::Statement query(_db,
                                "SELECT chat_id FROM chats AS c WHERE NOT EXISTS (SELECT 1 FROM sync_runs AS r "
                                "WHERE r.chat_id = c.chat_id AND r.result = 'ok') ORDER BY chat_id");
        std::vector<std::string> ids;
        while (query.executeStep()) ids.push_back(query.getColumn(0).getString());
        return ids;
    });
}

std::vector<SyncRunRecord> SqliteArchive::syncRuns(const std::string& chatId) {
    return guard("read the sync runs of " + chatId, [&] {
        SQLite::Statement q(_db,
                            "SELECT started_at, finished_at, result, messages_added, requests, COALESCE(error, '') "
                            "FROM sync_runs WHERE chat_id = ? ORDER BY id");
        q.bind(1, chatId);
        std::vector<SyncRunRecord> runs;
        while (q.executeStep())
            runs.push_back({chatId, q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                            q.getColumn(3).getInt64(), q.getColumn(4).getInt64(), q.getColumn(5).getString()});
        return runs;
    });
}

std::string SqliteArchive::integrityCheck() {
    return guard("check the archive", [&] {
        std::string report;
        SQLite::Statement check(_db, "PRAGMA integrity_check");
        while (check.executeStep()) report += (report.empty() ? "" : "\n") + check.getColumn(0).getString();
        SQLite::Statement keys(_db, "SELECT count(*) FROM pragma_foreign_key_check");
        keys.executeStep();
        if (const auto broken = keys.getColumn(0).getInt64(); broken > 0)
            report = (report == "ok" ? "" : report + "\n") + std::to_string(broken) + " rows break foreign keys";
        return report;
    });
}

std::unique_ptr<ReadSnapshot> SqliteArchive::snapshot() {
    return guard("open a read snapshot", [&] { return std::make_unique<SqliteSnapshot>(_path, _mode); });
}

int Archive::schemaVersion() {
    const auto& migrations = Migrator::embedded();
    return migrations.empty() ? 0 : migrations.back().version;
}

}  // namespace okarchive
