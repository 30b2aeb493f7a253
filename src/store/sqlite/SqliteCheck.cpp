#include "store/sqlite/SqliteCheck.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include "domain/Errors.h"
#include "domain/Media.h"
#include "domain/TimeFormat.h"
#include "store/Archive.h"
#include "store/sqlite/Database.h"

namespace okarchive {
namespace {

using Problems = std::vector<ArchiveProblem>;

std::string rangeText(std::int64_t lo, std::int64_t hi) {
    return fmt::format("[{}, {}] ({} .. {})", lo, hi, formatIsoUtc(lo), formatIsoUtc(hi));
}

void checkIntegrity(SQLite::Database& db, Problems& problems) {
    SQLite::Statement check(db, "PRAGMA integrity_check");
    while (check.executeStep())
        if (const auto row = check.getColumn(0).getString(); row != "ok")
            problems.push_back({"integrity", "", "", row});
}

/// The applied schema versions against the migrations this build knows.
void checkSchema(SQLite::Database& db, Problems& problems) {
    const int known = Archive::schemaVersion();
    if (!db.tableExists("schema_migrations")) {
        problems.push_back({"schema", "", "", "no schema_migrations table: not an okarchive archive"});
        return;
    }
    std::vector<int> applied;
    SQLite::Statement versions(db, "SELECT version FROM schema_migrations ORDER BY version");
    while (versions.executeStep()) applied.push_back(versions.getColumn(0).getInt());
    const int newest = applied.empty() ? 0 : applied.back();
    if (newest > known)
        problems.push_back(
            {"schema", "", fmt::format("schema {}", newest),
             fmt::format("made by a newer okarchive (this one knows schema {}): upgrade okarchive", known)});
    else if (newest < known)
        problems.push_back({"schema", "", fmt::format("schema {}", newest),
                            fmt::format("not migrated to schema {}: run okarchive sync once to upgrade it", known)});
    for (int version = 1; version <= std::min(newest, known); ++version)
        if (std::find(applied.begin(), applied.end(), version) == applied.end())
            problems.push_back({"schema", "", fmt::format("migration {}", version),
                                fmt::format("not recorded, though schema {} is", newest)});
}

/// The chat a row of `table` concerns, when the table has a chat_id column.
std::string chatOfRow(SQLite::Database& db, const std::string& table, std::int64_t rowid) {
    SQLite::Statement columns(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = 'chat_id'");
    columns.bind(1, table);
    if (!columns.executeStep()) return "";
    SQLite::Statement chat(db, fmt::format("SELECT chat_id FROM \"{}\" WHERE rowid = ?", table));
    chat.bind(1, rowid);
    return chat.executeStep() ? chat.getColumn(0).getString() : "";
}

/// Every row whose reference names no row (coverage, media and revision_attachments, keyed without a rowid, are
/// checkCoverageRows', checkMedia's and checkChanges').
void checkForeignKeys(SQLite::Database& db, Problems& problems) {
    SQLite::Statement broken(db,
                             "SELECT k.\"table\", k.rowid, k.parent, f.\"from\" FROM pragma_foreign_key_check AS k "
                             "JOIN pragma_foreign_key_list(k.\"table\") AS f ON f.id = k.fkid "
                             "WHERE k.\"table\" NOT IN ('coverage', 'media', 'revision_attachments') "
                             "ORDER BY 1, 2");
    while (broken.executeStep()) {
        const std::string table = broken.getColumn(0).getString(), column = broken.getColumn(3).getString();
        const std::int64_t rowid = broken.getColumn(1).getInt64();
        SQLite::Statement value(db, fmt::format("SELECT \"{}\" FROM \"{}\" WHERE rowid = ?", column, table));
        value.bind(1, rowid);
        const std::string target = value.executeStep() ? value.getColumn(0).getString() : "?";
        problems.push_back({"foreign-keys", chatOfRow(db, table, rowid), fmt::format("{} row {}", table, rowid),
                            fmt::format("its {} {} names no {} row", column, target, broken.getColumn(2).getString())});
    }
}

/// Per chat: non-empty ranges, in order, neither overlapping nor touching (merged), of a known chat.
void checkCoverageRows(SQLite::Database& db, Problems& problems) {
    SQLite::Statement rows(db,
                           "SELECT c.chat_id, c.lo, c.hi, k.chat_id IS NULL FROM coverage AS c "
                           "LEFT JOIN chats AS k ON k.chat_id = c.chat_id ORDER BY c.chat_id, c.lo");
    std::string chat;
    // A flag and a value rather than std::optional: GCC 12 -O2 warns -Wmaybe-uninitialized on the optional's payload.
    bool hasPrevious = false;
    std::int64_t previousHi = 0;
    while (rows.executeStep()) {
        const std::string id = rows.getColumn(0).getString();
        const std::int64_t lo = rows.getColumn(1).getInt64(), hi = rows.getColumn(2).getInt64();
        if (id != chat) hasPrevious = false;
        chat = id;
        const auto where = "range " + rangeText(lo, hi);
        if (rows.getColumn(3).getInt() != 0)
            problems.push_back({"coverage", id, where, "a range of a chat the archive does not know"});
        if (lo > hi) problems.push_back({"coverage", id, where, "empty: it ends before it begins"});
        if (hasPrevious && lo <= previousHi)
            problems.push_back({"coverage", id, where, fmt::format("overlaps the range ending at {}", previousHi)});
        else if (hasPrevious && lo == previousHi + 1)
            problems.push_back(
                {"coverage", id, where, fmt::format("touches the range ending at {} (not merged)", previousHi)});
        previousHi = hasPrevious ? std::max(previousHi, hi) : hi;
        hasPrevious = true;
    }
}

/// Coverage is proven by archived messages: a known chat's reaches no further than its newest one (quarantined
/// included).
void checkCoverageTop(SQLite::Database& db, Problems& problems) {
    SQLite::Statement tops(db,
                           "SELECT c.chat_id, max(c.hi), (SELECT max(t) FROM (SELECT max(timestamp) AS t FROM messages "
                           "WHERE chat_id = c.chat_id UNION ALL SELECT max(timestamp) FROM quarantined_messages "
                           "WHERE chat_id = c.chat_id)) FROM coverage AS c JOIN chats AS k ON k.chat_id = c.chat_id "
                           "GROUP BY c.chat_id ORDER BY c.chat_id");  // an unknown chat is checkCoverageRows'
    while (tops.executeStep()) {
        const std::string id = tops.getColumn(0).getString();
        const std::int64_t top = tops.getColumn(1).getInt64();
        if (tops.isColumnNull(2))
            problems.push_back({"coverage", id, "", "covered history but no archived message"});
        else if (const std::int64_t newest = tops.getColumn(2).getInt64(); top > newest)
            problems.push_back(
                {"coverage", id, fmt::format("covered up to {} ({})", top, formatIsoUtc(top)),
                 fmt::format("beyond the newest archived message at {} ({})", newest, formatIsoUtc(newest))});
    }
}

/// Rows of `sql` (chat_id, where) reported as `what`.
void reportRows(SQLite::Database& db, const std::string& sql, const std::string& what, Problems& problems) {
    SQLite::Statement rows(db, sql);
    while (rows.executeStep())
        problems.push_back({"consistency", rows.getColumn(0).getString(), rows.getColumn(1).getString(), what});
}

/// Edits and deletions (issue 13): a deletion mark agrees with the message's last event (a deletion observed at the
/// mark's time), edited_at with its revisions, and every revision attachment belongs to a kept revision.
void checkChanges(SQLite::Database& db, Problems& problems) {
    const auto lastEvent = [](const char* what) {
        return fmt::format("(SELECT {} FROM message_events AS e WHERE e.chat_id = m.chat_id AND e.mid = m.mid "
                           "ORDER BY e.id DESC LIMIT 1)",
                           what);
    };
    reportRows(db,
               "SELECT m.chat_id, m.mid FROM messages AS m WHERE m.deleted_observed_at IS NOT NULL AND " +
                   lastEvent("e.kind || ' ' || e.observed_at") +
                   " IS NOT 'deleted ' || m.deleted_observed_at ORDER BY m.chat_id, m.id",
               "marked deleted, but its last recorded event is no deletion observed at the mark's time", problems);
    reportRows(db,
               "SELECT m.chat_id, m.mid FROM messages AS m WHERE m.deleted_observed_at IS NULL AND " +
                   lastEvent("e.kind") + " = 'deleted' ORDER BY m.chat_id, m.id",
               "its last recorded event is a deletion, but it is not marked deleted", problems);
    reportRows(db,
               "SELECT '', 'revision ' || a.revision_id || ' attachment ' || a.position FROM revision_attachments AS a "
               "WHERE NOT EXISTS (SELECT 1 FROM message_revisions AS r WHERE r.id = a.revision_id) "
               "ORDER BY a.revision_id, a.position",
               "an attachment of a revision the archive does not hold", problems);
    reportRows(db,
               "SELECT m.chat_id, m.mid FROM messages AS m WHERE (m.edited_at IS NOT NULL) <> EXISTS (SELECT 1 FROM "
               "message_revisions AS r WHERE r.message_id = m.id) ORDER BY m.chat_id, m.id",
               "edited_at disagrees with its kept revisions", problems);
}

void checkConsistency(SQLite::Database& db, Problems& problems) {
    reportRows(db,
               "SELECT m.chat_id, m.mid FROM messages AS m WHERE m.kind = 'service' AND NOT EXISTS "
               "(SELECT 1 FROM service_events AS e WHERE e.message_id = m.id) ORDER BY m.chat_id, m.id",
               "a service message without its service event", problems);
    reportRows(db,
               "SELECT m.chat_id, m.mid FROM service_events AS e JOIN messages AS m ON m.id = e.message_id "
               "WHERE m.kind <> 'service' ORDER BY m.chat_id, m.id",
               "a service event of a message that is no service message", problems);
    reportRows(db,
               "SELECT chat_id, '' FROM chats AS k WHERE archived = 0 AND (EXISTS (SELECT 1 FROM messages AS m WHERE "
               "m.chat_id = k.chat_id) OR EXISTS (SELECT 1 FROM coverage AS c WHERE c.chat_id = k.chat_id)) "
               "ORDER BY chat_id",
               "holds messages or coverage but is not marked archived", problems);
    checkChanges(db, problems);
}

/// Rows of `sql` (chat_id, where, what) reported as media problems.
void reportMediaRows(SQLite::Database& db, const std::string& sql, Problems& problems) {
    SQLite::Statement rows(db, sql);
    while (rows.executeStep())
        problems.push_back(
            {"media", rows.getColumn(0).getString(), rows.getColumn(1).getString(), rows.getColumn(2).getString()});
}

/// The media ledger: saved entries (current or earlier media) with a 64-hex SHA-256 and a size, known states, and
/// entries of archived messages' attachments.
void checkMedia(SQLite::Database& db, Problems& problems) {
    std::string states;
    for (const auto state : kAllMediaStates)
        states += (states.empty() ? "'" : ", '") + std::string(mediaStateName(state)) + "'";
    const std::string badSha = "(sha256 IS NULL OR length(sha256) <> 64 OR sha256 GLOB '*[^0-9a-f]*')";
    const std::string order = " ORDER BY chat_id, mid, position";
    for (const auto& [table, note] : {std::pair{"media", ""}, std::pair{"media_revisions", " (earlier media)"}}) {
        const auto select = fmt::format("SELECT chat_id, mid || ' attachment ' || position || '{}', ", note);
        const auto from = fmt::format(" FROM {} WHERE ", table);
        reportMediaRows(
            db, select + "'a saved entry without a 64-hex SHA-256'" + from + "state = 'saved' AND " + badSha + order,
            problems);
        reportMediaRows(
            db, select + "'a saved entry without its size'" + from + "state = 'saved' AND bytes IS NULL" + order,
            problems);
        reportMediaRows(
            db, select + "'an unknown state ''' || state || ''''" + from + "state NOT IN (" + states + ")" + order,
            problems);
    }
    const std::string entry = "SELECT chat_id, mid || ' attachment ' || position, ";
    const std::string message = "SELECT 1 FROM messages AS m WHERE m.chat_id = md.chat_id AND m.mid = md.mid";
    reportMediaRows(
        db, entry + "'an entry of no archived message' FROM media AS md WHERE NOT EXISTS (" + message + ")" + order,
        problems);
    reportMediaRows(
        db,
        entry + "'an entry for an attachment the message does not have' FROM media AS md WHERE EXISTS (" + message +
            ") AND NOT EXISTS (" + message +
            " AND EXISTS (SELECT 1 FROM attachments AS a WHERE a.message_id = m.id AND a.position = md.position))" +
            order,
        problems);
}

/// Runs one check; one that cannot run (a damaged page, a missing table) is a problem of its own.
void run(const std::string& check, const std::function<void(SQLite::Database&, Problems&)>& body, SQLite::Database& db,
         Problems& problems) {
    try {
        body(db, problems);
    } catch (const SQLite::Exception& e) {
        problems.push_back({check, "", "", fmt::format("could not be checked: {}", e.what())});
    }
}

}  // namespace

std::vector<ArchiveProblem> checkSqliteArchive(const std::string& archivePath) {
    if (!std::filesystem::exists(archivePath))
        throw UsageError(
            fmt::format("archive {} does not exist: nothing to check (see archive.database)", archivePath));
    Problems problems;
    std::optional<SQLite::Database> db;
    try {
        db.emplace(openDatabaseReadOnly(archivePath));
    } catch (const StorageError& e) {
        return {{"integrity", "", "", e.what()}};
    }
    ImmutableFileWatch watch(*db, archivePath);
    SQLite::Transaction snapshot(*db, SQLite::TransactionBehavior::DEFERRED);  // never committed: nothing written
    run("integrity", checkIntegrity, *db, problems);
    run("schema", checkSchema, *db, problems);
    run("foreign-keys", checkForeignKeys, *db, problems);
    run("coverage", checkCoverageRows, *db, problems);
    run("coverage", checkCoverageTop, *db, problems);
    run("consistency", checkConsistency, *db, problems);
    run("media", checkMedia, *db, problems);
    watch.check();
    return problems;
}

}  // namespace okarchive
