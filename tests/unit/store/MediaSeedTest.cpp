// seedMedia on archives written before the media ledger (schema 4): entries for their attachments with media, once.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include "store/sqlite/Migrator.h"
#include "store/sqlite/SqliteArchive.h"
#include "unit/store/SqliteTestSupport.h"

using namespace okarchive;
using okarchive::test::scalar;
using okarchive::test::TempDir;

namespace {

/// A schema 4 archive: chat:old with `messages` messages, each with an IMAGE (media), a SHARE (a page) and, every
/// tenth, a CONTACT with a photo; chat:quiet with one message without attachments.
std::string schema4Archive(const TempDir& dir, int messages) {
    const auto path = dir.file("v4.db");
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    auto migrations = Migrator::embedded();
    migrations.resize(4);
    Migrator(db, path, migrations).migrate();
    db.exec(
        "INSERT INTO chats (chat_id, first_seen_at, updated_at, archived) VALUES ('chat:old', 1, 1, 1), "
        "('chat:quiet', 1, 1, 1)");
    db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(messages) +
            ") INSERT INTO messages (chat_id, mid, seq, timestamp, sender_id, sender_name, kind, raw_json, "
            "first_archived_at) SELECT 'chat:old', 'mid:' || i, i, i, 'user:1', 'Ann', 'message', '{}', 1 FROM n");
    db.exec(
        "INSERT INTO messages (chat_id, mid, seq, timestamp, sender_id, sender_name, kind, raw_json, "
        "first_archived_at) VALUES ('chat:quiet', 'mid:q', 1, 1, 'user:1', 'Ann', 'message', '{}', 1)");
    db.exec(
        "INSERT INTO attachments (message_id, position, type, payload_json) SELECT id, 0, 'IMAGE', "
        "'{\"url\":\"https://cdn.example/' || id || '.png?sig=x\"}' FROM messages WHERE chat_id = 'chat:old'");
    db.exec(
        "INSERT INTO attachments (message_id, position, type, payload_json) SELECT id, 1, 'SHARE', "
        "'{\"url\":\"https://ya.ru/\"}' FROM messages WHERE chat_id = 'chat:old'");
    db.exec(
        "INSERT INTO attachments (message_id, position, type, payload_json) SELECT id, 2, 'CONTACT', "
        "'{\"name\":\"x\",\"photoUrl\":\"https://cdn.example/c.jpg\"}' FROM messages "
        "WHERE chat_id = 'chat:old' AND id % 10 = 0");
    return path;
}

}  // namespace

TEST_CASE("seedMedia gives an archive from before the ledger its entries, in batches, once", "[store][media]") {
    TempDir dir;
    constexpr int kMessages = 2500;  // 5,250 attachments: several batches
    SqliteArchive archive(schema4Archive(dir, kMessages), Env::system());
    auto& db = archive.connectionForTests();
    CHECK(scalar(db, "SELECT count(*) FROM media") == 0);
    CHECK(scalar(db, "SELECT count(*) FROM chats WHERE media_seeded = 0") == 2);

    CHECK(archive.seedMedia("chat:old") == kMessages + kMessages / 10);
    CHECK(scalar(db, "SELECT count(*) FROM media WHERE type = 'IMAGE' AND state = 'pending'") == kMessages);
    CHECK(scalar(db, "SELECT count(*) FROM media WHERE type = 'CONTACT' AND url = 'https://cdn.example/c.jpg'") ==
          kMessages / 10);
    CHECK(scalar(db, "SELECT count(*) FROM media WHERE type = 'SHARE'") == 0);
    const auto first = archive.findMessage("chat:old", "mid:1");
    REQUIRE(first);
    CHECK(first->attachments[0].media == AttachmentMedia{});
    CHECK_FALSE(first->attachments[1].media);

    // Seeded: the next call is one lookup, even if an entry went missing meanwhile.
    db.exec("DELETE FROM media WHERE mid = 'mid:7'");
    CHECK(archive.seedMedia("chat:old") == 0);
    CHECK(scalar(db, "SELECT count(*) FROM media WHERE mid = 'mid:7'") == 0);
    CHECK(archive.seedMedia("chat:quiet") == 0);
    CHECK(archive.seedMedia("chat:unknown") == 0);
    CHECK(scalar(db, "SELECT count(*) FROM chats WHERE media_seeded = 0") == 0);
}

TEST_CASE("chats created after the ledger need no seeding: commitPage made their entries", "[store][media]") {
    TempDir dir;
    SqliteArchive archive(dir.file("new.db"), Env::system());
    auto m = test::makeMessage("chat:new", "mid:1", 10, 1);
    test::addAttachment(m, "VIDEO", R"({"url":"https://cdn.example/v.mp4"})");
    archive.commitPage("chat:new", {m}, {});
    CHECK(scalar(archive.connectionForTests(), "SELECT media_seeded FROM chats WHERE chat_id = 'chat:new'") == 1);
    CHECK(archive.seedMedia("chat:new") == 0);
    CHECK(archive.mediaItems(std::string("chat:new"), std::nullopt).size() == 1);
}
