// okarchive check's store side: every problem class on a copy damaged with plain SQL, named; a healthy archive passes.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include "domain/Errors.h"
#include "store/Archive.h"
#include "store/ArchiveCheck.h"
#include "unit/store/SqliteTestSupport.h"

using namespace okarchive;
using okarchive::test::makeMessage;
using okarchive::test::TempDir;

namespace {

constexpr std::int64_t kT0 = 1'600'000'000'000;

/// An archive of two chats as a sync leaves them: messages (one with an attachment, one service message) and the
/// coverage their pages proved.
std::string healthyArchive(const TempDir& dir) {
    const auto path = dir.file("archive.db");
    auto archive = openArchive(path);
    auto photo = makeMessage("chat:A", "mid:a2", kT0 + 20, 2);
    test::addAttachment(photo, "IMAGE", R"({"url":"https://example.org/p.jpg"})");
    const auto leave = test::makeServiceMessage("chat:A", "mid:a3", kT0 + 30, 3, "EXIT", "7");
    archive->commitPage("chat:A", {makeMessage("chat:A", "mid:a1", kT0 + 10, 1), photo, leave}, {{0, kT0 + 30}});
    archive->commitPage("chat:B", {makeMessage("chat:B", "mid:b1", kT0 + 5, 1)}, {{kT0 + 5, kT0 + 5}});
    return path;
}

/// Runs `sql` on the archive file directly, foreign keys off, as a damaged or hand-edited archive would hold it.
void damage(const std::string& path, const std::string& sql) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec(sql);
}

bool found(const std::vector<ArchiveProblem>& problems, const std::string& check, const std::string& chat,
           const std::string& words) {
    return std::any_of(problems.begin(), problems.end(), [&](const ArchiveProblem& p) {
        return p.check == check && p.chatId == chat && (p.where + " " + p.what).find(words) != std::string::npos;
    });
}

std::string bytesOf(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::string described(const std::vector<ArchiveProblem>& problems) {
    std::string text;
    for (const auto& p : problems) text += p.check + " | " + p.chatId + " | " + p.where + " | " + p.what + "\n";
    return text;
}

}  // namespace

TEST_CASE("check finds nothing wrong in an archive as sync leaves it", "[store][check]") {
    TempDir dir;
    const auto problems = checkArchive(healthyArchive(dir));
    INFO(described(problems));
    CHECK(problems.empty());
}

TEST_CASE("check names overlapping, touching and empty coverage rows with their chat and range", "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    damage(path,
           "PRAGMA ignore_check_constraints = ON; "
           "INSERT INTO coverage VALUES ('chat:B', 100, 200), ('chat:B', 150, 300), ('chat:B', 301, 400), "
           "('chat:A', 9, 3)");
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(found(problems, "coverage", "chat:B", "[150, 300]"));
    CHECK(found(problems, "coverage", "chat:B", "overlaps the range ending at 200"));
    CHECK(found(problems, "coverage", "chat:B", "touches the range ending at 300 (not merged)"));
    CHECK(found(problems, "coverage", "chat:A", "[9, 3]"));
    CHECK(found(problems, "coverage", "chat:A", "ends before it begins"));
}

TEST_CASE("check names a coverage range of an unknown chat and one beyond the chat's newest message",
          "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    damage(path,
           "INSERT INTO coverage VALUES ('chat:ghost', 1, 2); "
           "UPDATE coverage SET hi = hi + 1000 WHERE chat_id = 'chat:B'");
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(found(problems, "coverage", "chat:ghost", "a chat the archive does not know"));
    CHECK(found(problems, "coverage", "chat:B", "beyond the newest archived message at " + std::to_string(kT0 + 5)));
    CHECK_FALSE(found(problems, "coverage", "chat:A", ""));
}

TEST_CASE("check names an orphan attachment, a revision of no message and a message of no chat", "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    damage(path,
           "INSERT INTO attachments VALUES (999, 0, 'IMAGE', 'null', NULL); "
           "INSERT INTO message_revisions (message_id, raw_json, replaced_at) VALUES (998, '{}', 1); "
           "UPDATE messages SET chat_id = 'chat:gone' WHERE mid = 'mid:b1'");
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(found(problems, "foreign-keys", "", "its message_id 999 names no messages row"));
    CHECK(found(problems, "foreign-keys", "", "message_revisions row"));
    CHECK(found(problems, "foreign-keys", "chat:gone", "its chat_id chat:gone names no chats row"));
}

TEST_CASE("check names media ledger entries that cannot be right", "[store][check][media]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    damage(path,
           "PRAGMA ignore_check_constraints = ON; "
           "UPDATE media SET state = 'saved', sha256 = 'abc', bytes = NULL WHERE mid = 'mid:a2'; "
           "INSERT INTO media (chat_id, mid, position, type, identity, url, state) VALUES "
           "('chat:A', 'mid:a2', 5, 'IMAGE', 'IMAGE:link:x', 'https://x/', 'done'), "
           "('chat:A', 'mid:gone', 0, 'IMAGE', 'IMAGE:link:y', 'https://y/', 'pending'); "
           "INSERT INTO media_revisions (chat_id, mid, position, type, identity, url, state, replaced_at) VALUES "
           "('chat:A', 'mid:a2', 0, 'IMAGE', 'IMAGE:link:z', 'https://z/', 'saved', 1)");
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(found(problems, "media", "chat:A", "mid:a2 attachment 0 a saved entry without a 64-hex SHA-256"));
    CHECK(found(problems, "media", "chat:A", "mid:a2 attachment 0 a saved entry without its size"));
    CHECK(found(problems, "media", "chat:A", "mid:a2 attachment 5 an unknown state 'done'"));
    CHECK(found(problems, "media", "chat:A", "mid:a2 attachment 5 an entry for an attachment the message does not"));
    CHECK(found(problems, "media", "chat:A", "mid:gone attachment 0 an entry of no archived message"));
    CHECK(found(problems, "media", "chat:A", "mid:a2 attachment 0 (earlier media) a saved entry without a 64-hex"));
    for (const auto& p : problems) CHECK(p.what.find("could not be checked") == std::string::npos);
}

TEST_CASE("check tells a schema of a newer okarchive from one not migrated", "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    const auto known = std::to_string(Archive::schemaVersion());
    SECTION("newer") {
        damage(path, "INSERT INTO schema_migrations VALUES (" + std::to_string(Archive::schemaVersion() + 1) +
                         ", '9999_future.sql', 1)");
        const auto problems = checkArchive(path);
        INFO(described(problems));
        CHECK(found(problems, "schema", "", "made by a newer okarchive (this one knows schema " + known));
    }
    SECTION("older") {
        damage(path, "DELETE FROM schema_migrations WHERE version = " + known);
        const auto problems = checkArchive(path);
        INFO(described(problems));
        CHECK(found(problems, "schema", "", "not migrated to schema " + known));
    }
    SECTION("a migration missing in between") {
        damage(path, "DELETE FROM schema_migrations WHERE version = 2");
        const auto problems = checkArchive(path);
        INFO(described(problems));
        CHECK(found(problems, "schema", "", "migration 2 not recorded"));
    }
}

TEST_CASE("check names a service message without its event and an archived chat not marked so", "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    damage(path, "DELETE FROM service_events; UPDATE chats SET archived = 0 WHERE chat_id = 'chat:B'");
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(found(problems, "consistency", "chat:A", "mid:a3 a service message without its service event"));
    CHECK(found(problems, "consistency", "chat:B", "not marked archived"));
}

TEST_CASE("check names deletion marks and edit times that disagree with their history", "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    {
        auto archive = openArchive(path);
        archive->startRecheck("chat:A", {0, kT0 + 30});
        archive->commitRecheckPage("chat:A", {makeMessage("chat:A", "mid:a1", kT0 + 10, 1)}, {},
                                   {{{kT0 + 15, kT0 + 25}}, std::nullopt});  // mid:a2 observed gone
        archive->commitPage("chat:B", {makeMessage("chat:B", "mid:b1", kT0 + 5, 1, "edited")}, {});
    }
    INFO(described(checkArchive(path)));
    REQUIRE(checkArchive(path).empty());
    damage(path,
           "UPDATE messages SET deleted_observed_at = NULL WHERE mid = 'mid:a2'; "
           "UPDATE messages SET deleted_observed_at = 5 WHERE mid = 'mid:a1'; "
           "UPDATE messages SET edited_at = NULL WHERE mid = 'mid:b1'");
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(found(problems, "consistency", "chat:A", "mid:a2 its last recorded event is a deletion"));
    CHECK(found(problems, "consistency", "chat:A", "mid:a1 marked deleted, but its last recorded event is no"));
    CHECK(found(problems, "consistency", "chat:B", "mid:b1 edited_at disagrees"));
}

TEST_CASE("check names a deletion mark of another time and attachments of a revision that is gone",
          "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    {
        auto archive = openArchive(path);
        archive->startRecheck("chat:A", {0, kT0 + 30});
        archive->commitRecheckPage("chat:A", {makeMessage("chat:A", "mid:a1", kT0 + 10, 1)}, {},
                                   {{{kT0 + 15, kT0 + 25}}, std::nullopt});  // mid:a2 observed gone
        auto edited = makeMessage("chat:A", "mid:a1", kT0 + 10, 1, "edited");
        test::addAttachment(edited, "FILE", R"({"url":"https://example.org/f.pdf"})");
        archive->commitPage("chat:A", {edited}, {});
        edited.text = "edited twice";
        edited.rawJson = makeMessage("chat:A", "mid:a1", kT0 + 10, 1, "edited twice").rawJson;
        archive->commitPage("chat:A", {edited}, {});  // the second revision keeps the FILE attachment
    }
    INFO(described(checkArchive(path)));
    REQUIRE(checkArchive(path).empty());
    damage(path,
           "UPDATE messages SET deleted_observed_at = deleted_observed_at + 1 WHERE mid = 'mid:a2'; "
           "DELETE FROM message_revisions WHERE id = (SELECT max(revision_id) FROM revision_attachments)");
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(found(problems, "consistency", "chat:A", "mid:a2 marked deleted, but its last recorded event is no"));
    CHECK(found(problems, "consistency", "", "attachment 0 an attachment of a revision the archive does not hold"));
    CHECK_FALSE(std::any_of(problems.begin(), problems.end(), [](const ArchiveProblem& p) {
        return p.where.find("revision_attachments") != std::string::npos;  // named once, by checkChanges
    }));
}

TEST_CASE("check reports a page overwritten with garbage as damage, not as a crash", "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    {
        auto archive = openArchive(path);  // enough pages that one in the middle is a table or index page
        std::vector<Message> page;
        for (int i = 0; i < 400; ++i)
            page.push_back(
                makeMessage("chat:A", "mid:x" + std::to_string(i), kT0 + 100 + i, 10 + i, std::string(300, 'x')));
        archive->commitPage("chat:A", page, {{kT0 + 31, kT0 + 499}});
    }  // closed: checkpointed into the file, no -wal left
    REQUIRE_FALSE(std::filesystem::exists(path + "-wal"));
    const auto pages = std::filesystem::file_size(path) / 4096;
    REQUIRE(pages > 10);
    {
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(pages / 2 * 4096));
        file << std::string(4096, '\x5a');
    }
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(found(problems, "integrity", "", ""));
}

TEST_CASE("check names every problem at once and leaves the archive file as it was", "[store][check]") {
    TempDir dir;
    const auto path = healthyArchive(dir);
    damage(path,
           "INSERT INTO coverage VALUES ('chat:ghost', 1, 2); "
           "INSERT INTO attachments VALUES (999, 0, 'IMAGE', 'null', NULL); "
           "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 1)");
    const auto before = bytesOf(path);
    const auto problems = checkArchive(path);
    INFO(described(problems));
    CHECK(problems.size() == 3);
    CHECK(found(problems, "coverage", "chat:ghost", ""));
    CHECK(found(problems, "foreign-keys", "", "999"));
    CHECK(found(problems, "schema", "", "newer okarchive"));
    CHECK(bytesOf(path) == before);
}

TEST_CASE("check of a missing archive is a usage error naming it", "[store][check]") {
    TempDir dir;
    CHECK_THROWS_AS(checkArchive(dir.file("none.db")), UsageError);
    CHECK_THROWS_WITH(checkArchive(dir.file("none.db")),
                      Catch::Contains(dir.file("none.db")) && Catch::Contains("does not exist"));
}
