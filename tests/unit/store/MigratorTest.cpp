#include <fstream>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/sqlite/SqliteArchive.h"
#include "store/sqlite/EmbeddedMigrations.h"
#include "store/StoreErrors.h"
#include "store/sqlite/Migrator.h"
#include "unit/store/SqliteTestSupport.h"

using namespace okarchive;
using okarchive::test::scalar;
using okarchive::test::TempDir;

namespace {

std::vector<int> recordedVersions(SQLite::Database& db) {
    std::vector<int> versions;
    SQLite::Statement query(db, "SELECT version FROM schema_migrations ORDER BY version");
    while (query.executeStep()) versions.push_back(query.getColumn(0).getInt());
    return versions;
}

std::string migrationSql(const std::string& fileName) {
    for (const auto& [name, sql] : embeddedMigrations()) {
        if (name == fileName) return sql;
    }
    FAIL("no embedded migration " << fileName);
    return {};
}

SQLite::Database rawDatabase(const std::string& path) {
    return SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
}

}  // namespace

TEST_CASE("the migrations embedded at build time are the files of migrations/, in order", "[store][migrator]") {
    auto files = embeddedMigrations();
    REQUIRE_FALSE(files.empty());
    CHECK(files.front().first == "0001_init.sql");
    CHECK(files.front().second.find("CREATE TABLE messages") != std::string::npos);
    const auto& parsed = Migrator::embedded();
    REQUIRE(parsed.size() == files.size());
    for (std::size_t i = 0; i < parsed.size(); ++i) CHECK(parsed[i].version == static_cast<int>(i) + 1);
    CHECK(Archive::schemaVersion() == parsed.back().version);
}

TEST_CASE("a fresh database gets every migration recorded", "[store][migrator]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    std::vector<int> expected;
    for (const auto& m : Migrator::embedded()) expected.push_back(m.version);
    CHECK(recordedVersions(db) == expected);
    SQLite::Statement row(db, "SELECT name, applied_at FROM schema_migrations WHERE version = 1");
    REQUIRE(row.executeStep());
    CHECK(row.getColumn(0).getString() == "0001_init.sql");
    CHECK(row.getColumn(1).getInt64() > 1'600'000'000'000);  // ms since epoch, recent
    for (const char* table : {"chats", "chat_revisions", "messages", "attachments", "service_events", "senders",
                              "message_revisions", "coverage", "sync_warnings", "sync_runs"}) {
        CHECK(db.tableExists(table));
    }
}

TEST_CASE("reopening applies nothing twice", "[store][migrator]") {
    TempDir dir;
    std::string path = dir.file("a.db");
    std::int64_t appliedAt = 0;
    {
        SqliteArchive archive(path, Env::system());
        appliedAt = scalar(archive.connectionForTests(), "SELECT applied_at FROM schema_migrations WHERE version = 1");
        archive.ensureChat("chat:keep");
    }
    SqliteArchive again(path, Env::system());
    auto& db = again.connectionForTests();
    CHECK(scalar(db, "SELECT count(*) FROM schema_migrations") ==
          static_cast<std::int64_t>(Migrator::embedded().size()));
    CHECK(scalar(db, "SELECT applied_at FROM schema_migrations WHERE version = 1") == appliedAt);
    CHECK(again.neverArchivedChatIds() == std::vector<std::string>{"chat:keep"});
    CHECK(Migrator(db, path, Migrator::embedded()).migrate() == 0);
}

TEST_CASE("pragmas: WAL, synchronous NORMAL, foreign keys, busy timeout", "[store][migrator]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(scalar(db, "PRAGMA synchronous") == 1);  // NORMAL: see Database.cpp
    CHECK(scalar(db, "PRAGMA foreign_keys") == 1);
    CHECK(scalar(db, "PRAGMA busy_timeout") == 5000);
}

TEST_CASE("a database written by a newer okarchive is refused", "[store][migrator]") {
    TempDir dir;
    std::string path = dir.file("newer.db");
    { SqliteArchive archive(path, Env::system()); }
    {
        auto db = rawDatabase(path);
        db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)");
    }
    try {
        SqliteArchive archive(path, Env::system());
        FAIL("a newer schema was accepted");
    } catch (const StorageError& e) {
        std::string what = e.what();
        INFO(what);
        CHECK(what.find(path) != std::string::npos);
        CHECK(what.find("newer") != std::string::npos);
        CHECK(what.find("schema 9999") != std::string::npos);
        CHECK(what.find("knows " + std::to_string(Archive::schemaVersion())) != std::string::npos);
        CHECK(what.find("upgrade okarchive") != std::string::npos);
    }
    // Nothing was touched.
    auto db = rawDatabase(path);
    CHECK(scalar(db, "SELECT max(version) FROM schema_migrations") == 9999);
}

TEST_CASE("pending migrations are applied in order, each once", "[store][migrator]") {
    TempDir dir;
    std::string path = dir.file("upgrade.db");
    // A database made by hand the way a build that only knew 0001 left it.
    {
        auto db = rawDatabase(path);
        db.exec(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at INTEGER NOT NULL)");
        db.exec(migrationSql("0001_init.sql"));
        db.exec("INSERT INTO schema_migrations VALUES (1, '0001_init.sql', 42)");
        db.exec("INSERT INTO chats (chat_id, first_seen_at, updated_at) VALUES ('chat:old', 1, 1)");
    }
    auto db = rawDatabase(path);
    auto migrations = Migrator::parse({
        {"0003_third.sql", "ALTER TABLE extra ADD COLUMN b INTEGER;"},
        {"0001_init.sql", migrationSql("0001_init.sql")},
        {"0002_second.sql", "CREATE TABLE extra (a INTEGER); INSERT INTO extra (a) VALUES (7);"},
    });
    Migrator migrator(db, path, migrations);
    CHECK(migrator.newestKnownVersion() == 3);
    CHECK(migrator.migrate() == 2);
    CHECK(recordedVersions(db) == std::vector<int>{1, 2, 3});
    CHECK(scalar(db, "SELECT applied_at FROM schema_migrations WHERE version = 1") == 42);
    CHECK(scalar(db, "SELECT a FROM extra") == 7);
    CHECK(scalar(db, "SELECT count(*) FROM pragma_table_info('extra') WHERE name = 'b'") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM chats") == 1);
    CHECK(Migrator(db, path, migrations).migrate() == 0);
    CHECK(scalar(db, "SELECT count(*) FROM extra") == 1);
}

TEST_CASE("opening the hand-made 0001 database with the Archive keeps its data", "[store][migrator]") {
    TempDir dir;
    std::string path = dir.file("byhand.db");
    {
        auto db = rawDatabase(path);
        Migrator(db, path, Migrator::parse({{"0001_init.sql", migrationSql("0001_init.sql")}})).migrate();
        db.exec("INSERT INTO chats (chat_id, first_seen_at, updated_at) VALUES ('chat:old', 1, 1)");
    }
    SqliteArchive archive(path, Env::system());
    CHECK(archive.neverArchivedChatIds() == std::vector<std::string>{"chat:old"});  // no message: never archived
    CHECK(scalar(archive.connectionForTests(), "SELECT max(version) FROM schema_migrations") ==
          Archive::schemaVersion());
}

TEST_CASE("a failing migration leaves no trace and names itself", "[store][migrator]") {
    TempDir dir;
    std::string path = dir.file("fail.db");
    auto db = rawDatabase(path);
    auto migrations = Migrator::parse({
        {"0001_ok.sql", "CREATE TABLE one (a INTEGER);"},
        {"0002_broken.sql", "CREATE TABLE two (a INTEGER); INSERT INTO nowhere VALUES (1);"},
    });
    try {
        Migrator(db, path, migrations).migrate();
        FAIL("the broken migration succeeded");
    } catch (const StorageError& e) {
        std::string what = e.what();
        INFO(what);
        CHECK(what.find("0002_broken.sql") != std::string::npos);
        CHECK(what.find(path) != std::string::npos);
    }
    CHECK(recordedVersions(db) == std::vector<int>{1});
    CHECK(db.tableExists("one"));
    CHECK_FALSE(db.tableExists("two"));
}

TEST_CASE("migration file names are checked", "[store][migrator]") {
    CHECK_THROWS_AS(Migrator::parse({{"init.sql", ""}}), StorageError);
    CHECK_THROWS_AS(Migrator::parse({{"0001init.sql", ""}}), StorageError);
    CHECK_THROWS_AS(Migrator::parse({{"0001_init.txt", ""}}), StorageError);
    CHECK_THROWS_AS(Migrator::parse({{"0000_zero.sql", ""}}), StorageError);
    CHECK_THROWS_WITH(Migrator::parse({{"0001_a.sql", ""}, {"01_b.sql", ""}}), Catch::Contains("share version 1"));
    auto parsed = Migrator::parse({{"0010_ten.sql", "x"}, {"0002_two.sql", "y"}});
    REQUIRE(parsed.size() == 2);
    CHECK(parsed[0].version == 2);
    CHECK(parsed[1].version == 10);
    CHECK(parsed[1].name == "0010_ten.sql");
}

TEST_CASE("a file that is not a database is refused with its name and a remedy", "[store][migrator]") {
    TempDir dir;
    std::string path = dir.file("junk.db");
    {
        std::ofstream out(path, std::ios::binary);
        for (int i = 0; i < 200; ++i) out << "this is not an SQLite database at all ";
    }
    CHECK_THROWS_WITH(SqliteArchive(path, Env::system()),
                      Catch::Contains(path) && Catch::Contains("not an okarchive database"));
}

TEST_CASE("a database in a missing directory is refused with its name", "[store][migrator]") {
    TempDir dir;
    std::string path = dir.file("no/such/dir/a.db");
    CHECK_THROWS_WITH(SqliteArchive(path, Env::system()), Catch::Contains(path) && Catch::Contains("directory exists"));
}

TEST_CASE("a read-only open writes nothing and refuses writes, naming the archive", "[store][readonly]") {
    TempDir dir;
    const std::string path = dir.file("ro.db");
    {
        SqliteArchive writer(path, Env::system());
        writer.commitPage("chat:R", {}, {{1, 2}});
    }
    const auto reader = openArchive(path, Env::system(), ArchiveMode::ReadOnly);
    CHECK(reader->archivedChatIds() == std::vector<std::string>{"chat:R"});
    CHECK(reader->snapshot()->messageCount("chat:R") == 0);
    CHECK_THROWS_WITH(reader->ensureChat("chat:new"), Catch::Contains(path));
    const auto writer = openArchive(path);  // a writer alongside the reader still writes
    writer->ensureChat("chat:new");
    CHECK(reader->neverArchivedChatIds() == std::vector<std::string>{"chat:new"});
}

TEST_CASE("a read-only open of an older archive upgrades it first when the user may write it", "[store][readonly]") {
    TempDir dir;
    const std::string path = dir.file("old.db");
    {
        auto db = rawDatabase(path);
        Migrator(db, path, Migrator::parse({{"0001_init.sql", migrationSql("0001_init.sql")}})).migrate();
        db.exec("INSERT INTO chats (chat_id, first_seen_at, updated_at) VALUES ('chat:old', 1, 1)");
        db.exec(
            "INSERT INTO sync_runs (chat_id, started_at, finished_at, result, messages_added, requests) "
            "VALUES ('chat:old', 1, 2, 'ok', 0, 1)");
    }
    {
        auto db = rawDatabase(path);
        CHECK_THROWS_AS(Migrator(db, path, Migrator::embedded()).requireCurrent(), ArchiveSchemaBehind);
    }
    const auto reader = openArchive(path, Env::system(), ArchiveMode::ReadOnly);
    CHECK(reader->archivedChatIds() == std::vector<std::string>{"chat:old"});  // a successful sync: archived
    auto db = rawDatabase(path);
    CHECK(scalar(db, "SELECT max(version) FROM schema_migrations") == Archive::schemaVersion());
}

TEST_CASE("an archive of version 5 with a revision upgrades to 6: edited_at backfilled, nothing marked deleted",
          "[store][migrator]") {
    TempDir dir;
    std::string path = dir.file("v5.db");
    {
        auto db = rawDatabase(path);
        std::vector<std::pair<std::string, std::string>> upToFive;
        for (const auto& [name, sql] : embeddedMigrations())
            if (name < "0006") upToFive.emplace_back(name, sql);
        REQUIRE(upToFive.size() == 5);
        Migrator(db, path, Migrator::parse(upToFive)).migrate();
        db.exec("INSERT INTO chats (chat_id, first_seen_at, updated_at) VALUES ('chat:old', 1, 1)");
        db.exec(
            "INSERT INTO messages (id, chat_id, mid, seq, timestamp, sender_id, sender_name, kind, text, raw_json, "
            "first_archived_at) VALUES (1, 'chat:old', 'mid:1', 1, 1000, 'user:1', 'Ann', 'message', 'now', '{}', 5), "
            "(2, 'chat:old', 'mid:2', 2, 2000, 'user:1', 'Ann', 'message', 'same', '{}', 5)");
        db.exec(
            "INSERT INTO message_revisions (message_id, raw_json, text, replaced_at) VALUES (1, '{\"a\":1}', 'then', "
            "70), (1, '{\"a\":2}', 'between', 90)");
    }
    SqliteArchive archive(path, Env::system());
    auto& db = archive.connectionForTests();
    CHECK(scalar(db, "SELECT max(version) FROM schema_migrations") == 6);
    CHECK(scalar(db, "SELECT edited_at FROM messages WHERE id = 1") == 90);
    CHECK(scalar(db, "SELECT count(*) FROM messages WHERE edited_at IS NULL") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM messages WHERE deleted_observed_at IS NOT NULL") == 0);
    const auto edited = archive.findMessage("chat:old", "mid:1").value();
    CHECK(edited.editedAtMs == 90);
    REQUIRE(edited.revisions.size() == 2);
    CHECK(edited.revisions[0].text == std::optional<std::string>("then"));
    CHECK(edited.revisions[1].text == std::optional<std::string>("between"));
    CHECK(archive.integrityCheck() == "ok");
}
