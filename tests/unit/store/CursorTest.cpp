#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/sqlite/SqliteArchive.h"
#include "store/sqlite/SqliteMessageCursor.h"
#include "store/AttachmentUrl.h"
#include "unit/store/SqliteTestSupport.h"

using namespace okarchive;
using okarchive::test::addAttachment;
using okarchive::test::makeMessage;
using okarchive::test::makeServiceMessage;
using okarchive::test::scalar;
using okarchive::test::TempDir;

namespace {

const std::string kChat = "chat:C1";

std::vector<Message> readAll(Archive& archive, MessageQuery query) {
    std::vector<Message> out;
    auto cursor = archive.openCursor(query);
    while (cursor->next()) out.push_back(cursor->current());
    CHECK_FALSE(cursor->next());  // stays at the end
    return out;
}

}  // namespace

TEST_CASE("text round-trips byte for byte through the archive", "[store][cursor]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    auto& db = archive.connectionForTests();

    std::string withNul("a\0b\0", 4);
    std::string invalidUtf8 = "bad \xFF\xFE \xC3 \xED\xA0\x80 end";  // stray bytes, truncated sequence, surrogate
    std::string emoji = "\xF0\x9F\x98\x80 \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9 \xD0\xBF\xD1\x80\xD0\xB8";
    std::string big(1 << 20, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131 + 7) % 256);

    std::vector<Message> page{
        makeMessage(kChat, "mid:nul", 1, 1, withNul),
        makeMessage(kChat, "mid:utf", 2, 2, invalidUtf8, "user:\xFF", std::string("N\0ame", 5)),
        makeMessage(kChat, "mid:emoji", 3, 3, emoji),
        makeMessage(kChat, "mid:big", 4, 4, big),
        makeMessage(kChat, "mid:empty", 5, 5, std::string()),
        makeMessage(kChat, "mid:absent", 6, 6, std::nullopt),
        makeServiceMessage(kChat, "mid:svc", 7, 7, "UNKNOWN_KIND", "42"),
    };
    page[0].rawJson += std::string("\0tail", 5);  // raw JSON bytes are kept exactly too
    page[2].replyTo = "mid:nul";
    addAttachment(page[2], "STICKER", std::string("{\"code\":\"\xF0\x9F\x98\x80\",\"x\":\"\0\"}", 23));
    addAttachment(page[2], "NEW_TYPE", "[1,2,3]");
    addAttachment(page[2], "AUDIO", "null");
    page[6].service->userId.reset();

    archive.commitPage(kChat, page, {{1, 7}});
    CHECK(scalar(db, "SELECT count(*) FROM messages WHERE typeof(text) NOT IN ('text', 'null')") == 0);
    CHECK(scalar(db, "SELECT length(CAST(text AS BLOB)) FROM messages WHERE mid = 'mid:nul'") == 4);
    CHECK(scalar(db, "SELECT length(CAST(text AS BLOB)) FROM messages WHERE mid = 'mid:big'") == (1 << 20));

    auto read = readAll(archive, {kChat, std::nullopt, std::nullopt});
    REQUIRE(read.size() == page.size());
    for (std::size_t i = 0; i < page.size(); ++i) {
        INFO("message " << page[i].mid);
        CHECK(read[i].text == page[i].text);
        CHECK(read[i].rawJson == page[i].rawJson);
        CHECK(read[i].attachments == page[i].attachments);
        CHECK(read[i].service == page[i].service);
        CHECK(read[i] == page[i]);  // every field
    }
    CHECK(read[3].text->size() == big.size());
    CHECK_FALSE(read[4].text->size());
    CHECK(read[4].text.has_value());
    CHECK_FALSE(read[5].text.has_value());
    CHECK(read[6].kind() == MessageKind::Service);
    CHECK(read[0].kind() == MessageKind::Message);

    SQLite::Statement check(db, "PRAGMA integrity_check");
    REQUIRE(check.executeStep());
    CHECK(check.getColumn(0).getString() == "ok");
}

TEST_CASE("the cursor streams in index order without sorting", "[store][cursor]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    for (const char* sql :
         {"SELECT m.id FROM messages AS m LEFT JOIN service_events AS s ON s.message_id = m.id "
          "WHERE m.chat_id = 'c' AND m.timestamp >= 1 AND m.timestamp < 2 ORDER BY m.timestamp, m.seq, m.id",
          "SELECT m.id FROM messages AS m LEFT JOIN service_events AS s ON s.message_id = m.id "
          "WHERE m.chat_id = 'c' ORDER BY m.timestamp, m.seq, m.id"}) {
        SQLite::Statement plan(archive.connectionForTests(), std::string("EXPLAIN QUERY PLAN ") + sql);
        std::string details;
        while (plan.executeStep()) details += plan.getColumn(3).getString() + "\n";
        INFO(details);
        CHECK(details.find("messages_by_time") != std::string::npos);
        CHECK(details.find("TEMP B-TREE") == std::string::npos);
    }
}

TEST_CASE("edited and deleted cursors read only the changed messages, in index order", "[store][cursor][recheck]") {
    TempDir dir;
    SqliteArchive archive(dir.file("a.db"), Env::system());
    for (const auto& [filter, index] : {std::pair{true, "messages_edited"}, std::pair{false, "messages_deleted"}}) {
        for (const bool bounded : {false, true}) {
            MessageQuery query{"c"};
            if (bounded) query.since = 1;
            (filter ? query.edited : query.deleted) = true;
            const std::string sql = "SELECT m.id FROM messages AS m LEFT JOIN service_events AS s ON "
                                    "s.message_id = m.id WHERE " + messageFilterSql(query) +
                                    " ORDER BY m.timestamp, m.seq, m.id";
            SQLite::Statement plan(archive.connectionForTests(), "EXPLAIN QUERY PLAN " + sql);
            bindMessageFilter(plan, query);
            std::string details;
            while (plan.executeStep()) details += plan.getColumn(3).getString() + "\n";
            INFO(sql << "\n" << details);
            CHECK(details.find(index) != std::string::npos);
            CHECK(details.find("TEMP B-TREE") == std::string::npos);
        }
    }
}

TEST_CASE("attachment urls come from the payload's top-level url string", "[store][cursor]") {
    CHECK(attachmentUrl(R"({"url":"https://a/b"})") == std::optional<std::string>("https://a/b"));
    CHECK(attachmentUrl(R"( { "token" : "x", "url" : "h\"t\\tp\u0041\ud83d\ude00" } )") ==
          std::optional<std::string>("h\"t\\tpA\xF0\x9F\x98\x80"));
    CHECK(attachmentUrl(R"({"a":{"url":"deep"},"b":[{"url":"deeper"}],"c":"}","url":"top"})") ==
          std::optional<std::string>("top"));
    CHECK_FALSE(attachmentUrl(R"({"url":123})"));
    CHECK_FALSE(attachmentUrl(R"({"url":null})"));
    CHECK_FALSE(attachmentUrl(R"({"nested":{"url":"x"}})"));
    CHECK_FALSE(attachmentUrl("null"));
    CHECK_FALSE(attachmentUrl("[\"url\"]"));
    CHECK_FALSE(attachmentUrl("{}"));
    CHECK_FALSE(attachmentUrl(R"({"a":"unterminated)"));
    CHECK_FALSE(attachmentUrl(R"({"url":"unterminated)"));
    CHECK_FALSE(attachmentUrl(""));
}
