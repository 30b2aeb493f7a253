#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include "store/sqlite/SqliteArchive.h"
#include "unit/store/SqliteTestSupport.h"

using namespace okarchive;
using okarchive::test::addAttachment;
using okarchive::test::makeMessage;
using okarchive::test::makeServiceMessage;
using okarchive::test::scalar;
using okarchive::test::TempDir;

namespace {

const std::string kChat = "chat:C1";

std::vector<Message> firstPage(const std::string& chat = kChat) { return test::variedPage(chat); }

std::string text(SQLite::Database& db, const std::string& sql) {
    SQLite::Statement query(db, sql);
    REQUIRE(query.executeStep());
    return query.getColumn(0).getString();
}

/// Counts the statements SQLite starts on `db` while it lives.
class StatementCounter {
public:
    explicit StatementCounter(SQLite::Database& db) : _db(db.getHandle()) {
        sqlite3_trace_v2(_db, SQLITE_TRACE_STMT, &StatementCounter::onTrace, this);
    }
    ~StatementCounter() { sqlite3_trace_v2(_db, 0, nullptr, nullptr); }
    int count() const { return _count; }

private:
    static int onTrace(unsigned, void* self, void*, void*) {
        ++static_cast<StatementCounter*>(self)->_count;
        return 0;
    }
    sqlite3* _db;
    int _count = 0;
};

/// 100 new messages of `chat`, each with an IMAGE when `media`.
std::vector<Message> hundred(const std::string& chat, bool media) {
    std::vector<Message> page;
    for (int i = 0; i < 100; ++i) {
        auto m = makeMessage(chat, chat + ":" + std::to_string(i), 1000 + i, i);
        if (media) addAttachment(m, "IMAGE", R"({"url":"https://cdn.example/)" + std::to_string(i) + R"(.png"})");
        page.push_back(m);
    }
    return page;
}

}  // namespace

TEST_CASE("commitPage inserts messages with their attachments and service events", "[store][commit]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    auto result = archive.commitPage(kChat, firstPage(), {{1000, 4000}});
    CHECK(result.inserted == 4);
    CHECK(result.unchanged == 0);
    CHECK(result.revised == 0);

    CHECK(scalar(db, "SELECT count(*) FROM messages WHERE chat_id = 'chat:C1'") == 4);
    CHECK(archive.messageCount(kChat) == 4);
    CHECK(scalar(db, "SELECT count(*) FROM attachments") == 4);
    CHECK(scalar(db, "SELECT count(*) FROM messages WHERE kind = 'service'") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM messages WHERE text IS NULL") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM messages WHERE text = ''") == 1);
    CHECK(text(db, "SELECT chat_id FROM chats") == kChat);

    // Attachments by type, in position order, with the top-level url extracted (escapes decoded).
    CHECK(text(db, "SELECT url FROM attachments WHERE type = 'IMAGE'") == "https://i.example/1.jpg");
    CHECK(text(db, "SELECT url FROM attachments WHERE type = 'SHARE'") == "https://ya.ru/?q=\xC3\xA9");
    CHECK(scalar(db, "SELECT count(*) FROM attachments WHERE type = 'MYSTERY_NEW_TYPE' AND url IS NULL") == 1);
    CHECK(text(db, "SELECT payload_json FROM attachments WHERE type = 'STICKER'") == "null");
    CHECK(text(db,
               "SELECT group_concat(a.type, ',') FROM (SELECT type FROM attachments a JOIN messages m "
               "ON m.id = a.message_id WHERE m.mid = 'mid:a' ORDER BY a.position) a") == "IMAGE,SHARE");

    // Service events by type and user.
    CHECK(text(db,
               "SELECT m.mid FROM service_events s JOIN messages m ON m.id = s.message_id "
               "WHERE s.type = 'EXIT' AND s.user_id = 'user:2'") == "mid:c");

    CHECK(archive.coverage(kChat).ranges() == std::vector<TimeRange>{{1000, 4000}});
    CHECK(text(db, "PRAGMA integrity_check") == "ok");
    CHECK(scalar(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

TEST_CASE("re-committing an identical page writes not a single row", "[store][commit]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    archive.commitPage(kChat, firstPage(), {{1000, 4000}});
    auto changesBefore = db.getTotalChanges();
    auto result = archive.commitPage(kChat, firstPage(), {{1000, 4000}, {2000, 3000}});
    CHECK(result.inserted == 0);
    CHECK(result.unchanged == 4);
    CHECK(result.revised == 0);
    CHECK(db.getTotalChanges() == changesBefore);  // not a single row written
    CHECK(scalar(db, "SELECT count(*) FROM messages") == 4);
    CHECK(scalar(db, "SELECT count(*) FROM attachments") == 4);
    CHECK(scalar(db, "SELECT count(*) FROM service_events") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM message_revisions") == 0);
    CHECK(scalar(db, "SELECT count(*) FROM coverage") == 1);
}

TEST_CASE("re-checking an unchanged page writes only the pass's position", "[store][commit][recheck]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    archive.commitPage(kChat, firstPage(), {{1000, 4000}});
    archive.startRecheck(kChat, {1000, 4000});
    auto changesBefore = db.getTotalChanges();
    auto result = archive.commitRecheckPage(kChat, firstPage(), {{1000, 4000}}, {{{1000, 4000}}, TimeRange{1, 999}});
    CHECK(result.unchanged == 4);
    CHECK(result.deleted == 0);
    CHECK(db.getTotalChanges() == changesBefore + 1);  // the chat row's pass position, nothing else
    CHECK(scalar(db, "SELECT count(*) FROM message_events") == 0);
    CHECK(scalar(db, "SELECT count(*) FROM message_revisions") == 0);
}

TEST_CASE("commitPage costs one ledger statement per new attachment with media, none without",
          "[store][commit][media]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    archive.commitPage("chat:warm", hundred("chat:warm", true), {});  // statements prepared, chat rows known
    int plain = 0, withMedia = 0;
    {
        StatementCounter counter(db);
        archive.commitPage("chat:plain", hundred("chat:plain", false), {});
        plain = counter.count();
    }
    {
        StatementCounter counter(db);
        archive.commitPage("chat:media", hundred("chat:media", true), {});
        withMedia = counter.count();
    }
    // Each IMAGE costs its attachment row and its ledger entry, nothing more.
    CHECK(withMedia - plain == 2 * 100);
    CHECK(scalar(db, "SELECT count(*) FROM media WHERE chat_id = 'chat:media'") == 100);
    CHECK(scalar(db, "SELECT count(*) FROM media WHERE chat_id = 'chat:plain'") == 0);
}

TEST_CASE("a re-fetch with fresh signed links rewrites the message in place and keeps no revision",
          "[store][commit][media]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    auto signedWith = [](const std::string& sig) {
        auto m = makeMessage(kChat, "mid:s", 1000, 1, "photo");
        addAttachment(m, "IMAGE", R"({"url":"https://cdn.example/p.png?expires=9&sig=)" + sig + R"("})");
        return m;
    };
    archive.commitPage(kChat, {signedWith("one")}, {});
    const auto id = scalar(db, "SELECT id FROM messages WHERE mid = 'mid:s'");
    const auto result = archive.commitPage(kChat, {signedWith("two")}, {});
    CHECK(result.linksRefreshed == 1);
    CHECK(result.revised == 0);
    CHECK(scalar(db, "SELECT count(*) FROM message_revisions") == 0);
    CHECK(scalar(db, "SELECT id FROM messages WHERE mid = 'mid:s'") == id);
    CHECK(text(db, "SELECT raw_json FROM messages") == signedWith("two").rawJson);
    CHECK(text(db, "SELECT url FROM attachments") == "https://cdn.example/p.png?expires=9&sig=two");
    CHECK(text(db, "SELECT url FROM media") == "https://cdn.example/p.png?expires=9&sig=two");
    CHECK(scalar(db, "SELECT count(*) FROM media_revisions") == 0);
}

TEST_CASE("a revision keeps the row id, the first archiving time and replaces the details", "[store][commit]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    auto page = firstPage();
    archive.commitPage(kChat, page, {});
    std::string oldRaw = page[0].rawJson;
    std::int64_t id = scalar(db, "SELECT id FROM messages WHERE mid = 'mid:a'");
    std::int64_t firstArchived = scalar(db, "SELECT first_archived_at FROM messages WHERE mid = 'mid:a'");

    auto edited = makeMessage(kChat, "mid:a", 1000, 10, "first, edited");
    addAttachment(edited, "FILE", R"({"url":"https://f.example/doc.pdf"})");
    auto service = makeServiceMessage(kChat, "mid:c", 3000, 30, "USER_ADDED", "3");
    auto result = archive.commitPage(kChat, {edited, page[1], service}, {});
    CHECK(result.inserted == 0);
    CHECK(result.unchanged == 1);
    CHECK(result.revised == 2);

    CHECK(scalar(db, "SELECT count(*) FROM messages") == 4);
    CHECK(scalar(db, "SELECT count(*) FROM message_revisions") == 2);
    SQLite::Statement revision(db, "SELECT raw_json, text FROM message_revisions WHERE message_id = ?");
    revision.bind(1, id);
    REQUIRE(revision.executeStep());
    CHECK(revision.getColumn(0).getString() == oldRaw);
    CHECK(revision.getColumn(1).getString() == "first");
    CHECK_FALSE(revision.executeStep());

    CHECK(text(db, "SELECT raw_json FROM messages WHERE mid = 'mid:a'") == edited.rawJson);
    CHECK(text(db, "SELECT text FROM messages WHERE mid = 'mid:a'") == "first, edited");
    CHECK(scalar(db, "SELECT id FROM messages WHERE mid = 'mid:a'") == id);
    CHECK(scalar(db, "SELECT first_archived_at FROM messages WHERE mid = 'mid:a'") == firstArchived);
    // The current attachments are the new ones only.
    CHECK(text(db, "SELECT group_concat(type) FROM attachments WHERE message_id = " + std::to_string(id)) == "FILE");
    CHECK(text(db, "SELECT url FROM attachments WHERE message_id = " + std::to_string(id)) ==
          "https://f.example/doc.pdf");
    CHECK(scalar(db, "SELECT count(*) FROM service_events WHERE type = 'EXIT'") == 0);
    CHECK(text(db, "SELECT user_id FROM service_events WHERE type = 'USER_ADDED'") == "user:3");

    // The same edit again is unchanged; a third version adds exactly one more revision.
    CHECK(archive.commitPage(kChat, {edited}, {}).unchanged == 1);
    CHECK(scalar(db, "SELECT count(*) FROM message_revisions WHERE message_id = " + std::to_string(id)) == 1);
    auto third = makeMessage(kChat, "mid:a", 1000, 10, "third");
    CHECK(archive.commitPage(kChat, {third}, {}).revised == 1);
    CHECK(scalar(db, "SELECT count(*) FROM message_revisions WHERE message_id = " + std::to_string(id)) == 2);
    CHECK(text(db, "SELECT raw_json FROM message_revisions WHERE message_id = " + std::to_string(id) +
                       " ORDER BY id DESC LIMIT 1") == edited.rawJson);
}

TEST_CASE("senders keep every name a user was seen with, and when", "[store][commit]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    archive.commitPage(kChat,
                       {makeMessage(kChat, "mid:1", 5000, 1, "x", "user:7", "Old Name"),
                        makeMessage(kChat, "mid:2", 3000, 2, "x", "user:7", "Old Name"),
                        makeMessage(kChat, "mid:3", 9000, 3, "x", "user:7", "New Name")},
                       {});
    archive.commitPage(kChat, {makeMessage(kChat, "mid:4", 1000, 4, "x", "user:7", "Old Name")}, {});
    SQLite::Statement names(db,
                            "SELECT name, first_seen_ts, last_seen_ts FROM senders WHERE user_id = 'user:7' "
                            "ORDER BY first_seen_ts");
    REQUIRE(names.executeStep());
    CHECK(names.getColumn(0).getString() == "Old Name");
    CHECK(names.getColumn(1).getInt64() == 1000);
    CHECK(names.getColumn(2).getInt64() == 5000);
    REQUIRE(names.executeStep());
    CHECK(names.getColumn(0).getString() == "New Name");
    CHECK(names.getColumn(1).getInt64() == 9000);
    CHECK(names.getColumn(2).getInt64() == 9000);
    CHECK_FALSE(names.executeStep());
}

TEST_CASE("a failing page commits neither its messages nor its coverage", "[store][commit][atomic]") {
    TempDir dir;
    std::string path = dir.file("a.db");
    SqliteArchive archive(path, Env::system());
    auto& db = archive.connectionForTests();
    archive.commitPage(kChat, {makeMessage(kChat, "mid:1", 100, 1)}, {{100, 100}});

    SECTION("a message violating a constraint mid-page") {
        std::vector<Message> page{makeMessage(kChat, "mid:2", 200, 2), makeMessage(kChat, "mid:3", 300, 3),
                                  makeMessage(kChat, "", 400, 4), makeMessage(kChat, "mid:5", 500, 5)};
        try {
            archive.commitPage(kChat, page, {{101, 500}});
            FAIL("the page was accepted");
        } catch (const StorageError& e) {
            std::string what = e.what();
            INFO(what);
            CHECK(what.find(path) != std::string::npos);
            CHECK(what.find(kChat) != std::string::npos);
        }
    }
    SECTION("a failure while writing an attachment") {
        db.exec(
            "CREATE TEMP TRIGGER boom BEFORE INSERT ON attachments WHEN NEW.type = 'BOOM' "
            "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
        auto bad = makeMessage(kChat, "mid:3", 300, 3);
        addAttachment(bad, "BOOM", "{}");
        std::vector<Message> page{makeMessage(kChat, "mid:2", 200, 2), bad};
        CHECK_THROWS_WITH(archive.commitPage(kChat, page, {{101, 500}}), Catch::Contains("simulated failure"));
    }
    SECTION("a revision failing after its old version was copied") {
        db.exec(
            "CREATE TEMP TRIGGER boom BEFORE UPDATE ON messages "
            "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
        std::vector<Message> page{makeMessage(kChat, "mid:2", 200, 2), makeMessage(kChat, "mid:1", 100, 1, "edit")};
        CHECK_THROWS_AS(archive.commitPage(kChat, page, {{101, 500}}), StorageError);
        CHECK(scalar(db, "SELECT count(*) FROM message_revisions") == 0);
    }
    SECTION("a message of another chat") {
        std::vector<Message> page{makeMessage(kChat, "mid:2", 200, 2), makeMessage("chat:other", "mid:3", 300, 3)};
        CHECK_THROWS_WITH(archive.commitPage(kChat, page, {{101, 500}}), Catch::Contains("chat:other"));
    }

    CHECK(scalar(db, "SELECT count(*) FROM messages") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM attachments") == 0);
    CHECK(archive.coverage(kChat).ranges() == std::vector<TimeRange>{{100, 100}});
    CHECK(archive.archivedChatIds() == std::vector<std::string>{kChat});
    // The archive stays usable: the statements were reset, the transaction rolled back.
    db.exec("DROP TRIGGER IF EXISTS temp.boom");
    auto result = archive.commitPage(kChat, {makeMessage(kChat, "mid:2", 200, 2)}, {{101, 500}});
    CHECK(result.inserted == 1);
    CHECK(archive.coverage(kChat).ranges() == std::vector<TimeRange>{{100, 500}});
    CHECK(text(db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("chat metadata keeps every earlier version in chat_revisions", "[store][chats]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();
    ChatInfo info{"chat:A", "CHAT", "ACTIVE", "Title one", "user:9", 12, R"({"chat_id":"chat:A","title":"Title one"})"};
    archive.upsertChat(info);
    archive.upsertChat(info);
    CHECK(scalar(db, "SELECT count(*) FROM chat_revisions") == 0);
    ChatInfo renamed = info;
    renamed.title = "Title two";
    renamed.rawJson = R"({"chat_id":"chat:A","title":"Title two"})";
    archive.upsertChat(renamed);
    CHECK(text(db, "SELECT raw_json FROM chat_revisions WHERE chat_id = 'chat:A'") == info.rawJson);
    CHECK(text(db, "SELECT title FROM chats WHERE chat_id = 'chat:A'") == "Title two");
}
