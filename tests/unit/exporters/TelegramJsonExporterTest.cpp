#include <catch2/catch.hpp>

#include "InteropTestSupport.h"
#include "domain/Json.h"
#include "domain/TimeZone.h"
#include "exporters/TelegramJsonExporter.h"
#include "exporters/TextLinks.h"

using namespace okarchive;
using namespace okarchive::test;

namespace {

std::string exportTelegram(const std::vector<Message>& messages) { return exportInMoscow(messages, "telegram-json"); }

std::vector<std::string> pieceTexts(std::string_view text, bool links) {
    std::vector<std::string> out;
    for (const auto& piece : splitLinks(text))
        if (piece.link == links) out.emplace_back(piece.text);
    return out;
}

}  // namespace

TEST_CASE("Telegram JSON export writes the result.json of one chat exactly") {
    const std::int64_t t0 = 1498581292941;  // 2017-06-27T16:34:52.941Z = 19:34:52 in Moscow
    std::vector<Message> v;
    v.push_back(textMessage("mid:a", t0, 900, "user:1", "Ivan", "see https://ok.ru/x, ok"));
    auto reply = textMessage("mid:b", t0 + 1000, 901, "user:2", "Olga", std::nullopt);
    reply.replyTo = "mid:a";
    reply.attachments.push_back({"IMAGE", R"({"url":"https://i.mycdn.me/i","width":640,"height":480})"});
    reply.attachments.push_back({"VIDEO", R"({"url":"https://ok.ru/video/1"})"});
    v.push_back(reply);
    v.push_back(serviceMessage("mid:c", t0 + 2000, 902, "user:1", "Ivan", R"({"ui":4,"ty":"ADD"})", "ADD", "user:4"));
    v.push_back(serviceMessage("mid:d", t0 + 3000, 903, "user:3", "", R"({"ty":"ZZZ"})", "ZZZ", std::nullopt));
    auto lost = textMessage("mid:e", t0 + 4000, 904, "user:3", "", "");
    lost.replyTo = "mid:gone";
    lost.attachments.push_back({"SHARE", R"({"url":"https://ya.ru/"})"});
    v.push_back(lost);

    const std::string expected =
        R"({"name":"Семейный чат","type":"private_group","id":3446743954007552,"messages":[)"
        "\n"
        R"({"id":1,"type":"message","date":"2017-06-27T19:34:52","date_unixtime":"1498581292","from":"Ivan",)"
        R"("from_id":"user1","text":["see ",{"type":"link","text":"https://ok.ru/x"},", ok"],)"
        R"("text_entities":[{"type":"plain","text":"see "},{"type":"link","text":"https://ok.ru/x"},)"
        R"({"type":"plain","text":", ok"}]},)"
        "\n"
        R"({"id":2,"type":"message","date":"2017-06-27T19:34:53","date_unixtime":"1498581293","from":"Olga",)"
        R"("from_id":"user2","reply_to_message_id":1,)"
        R"J("photo":"(File not included. Change data exporting settings to download.)","width":640,"height":480,)J"
        R"("text":"","text_entities":[]},)"
        "\n"
        R"({"id":3,"type":"service","date":"2017-06-27T19:34:54","date_unixtime":"1498581294","actor":"Ivan",)"
        R"("actor_id":"user1","action":"invite_members","members":["Anna"],"text":"","text_entities":[]},)"
        "\n"
        R"({"id":4,"type":"service","date":"2017-06-27T19:34:55","date_unixtime":"1498581295","actor":null,)"
        R"("actor_id":"user3","action":"ZZZ","text":"","text_entities":[]},)"
        "\n"
        R"({"id":5,"type":"message","date":"2017-06-27T19:34:56","date_unixtime":"1498581296","from":null,)"
        R"("from_id":"user3","text":[{"type":"link","text":"https://ya.ru/"}],)"
        R"("text_entities":[{"type":"link","text":"https://ya.ru/"}]})"
        "\n]}\n";
    CHECK(exportTelegram(v) == expected);
}

TEST_CASE("Telegram JSON export maps leaves, joins, titles and icons to Telegram actions") {
    const std::int64_t t0 = 1498581292941;
    std::vector<Message> v;
    v.push_back(serviceMessage("mid:1", t0, 1, "user:2", "Olga", R"({"ui":2,"ty":"EXIT"})", "EXIT", "user:2"));
    v.push_back(serviceMessage("mid:2", t0, 2, "user:4", "Anna", R"({"ui":4,"ty":"JOIN"})", "JOIN", "user:4"));
    v.push_back(serviceMessage("mid:3", t0, 3, "user:1", "Ivan", R"({"ui":1,"ty":"TITLE","title":"New <b>"})", "TITLE",
                               "user:1"));
    v.push_back(serviceMessage("mid:4", t0, 4, "user:1", "Ivan", R"({"ui":1,"ty":"ICON"})", "ICON", "user:1"));
    v.push_back(serviceMessage("mid:5", t0, 5, "user:1", "Ivan", R"({"ui":9,"ty":"REMOVE"})", "remove", "user:9"));
    const auto doc = JsonDocument::parse(exportTelegram(v));
    const auto& messages = doc.root().find("messages")->items();
    REQUIRE(messages.size() == 5);
    auto field = [&](std::size_t i, const char* key) { return std::string(messages[i].find(key)->raw()); };
    CHECK(field(0, "action") == R"("remove_members")");
    CHECK(field(0, "members") == R"(["Olga"])");
    CHECK(field(1, "action") == R"("join_group_by_link")");
    CHECK(messages[1].find("members") == nullptr);
    CHECK(field(2, "action") == R"("edit_group_title")");
    CHECK(field(2, "title") == R"("New <b>")");
    CHECK(field(3, "action") == R"("edit_group_photo")");
    CHECK(field(3, "photo") == R"J("(File not included. Change data exporting settings to download.)")J");
    CHECK(field(4, "action") == R"("remove_members")");  // kinds match case-insensitively
    CHECK(field(4, "members") == "[null]");              // user:9 has no known name, as Telegram writes it
}

TEST_CASE("Telegram JSON export writes OK attachments as Telegram media without files") {
    const std::int64_t t0 = 1498581292941;
    std::vector<Message> v;
    auto add = [&](const char* type, const char* payload) {
        auto m = textMessage("mid:" + std::to_string(v.size()), t0, static_cast<std::int64_t>(v.size()), "user:1",
                             "Ivan", std::nullopt);
        m.attachments.push_back({type, payload});
        v.push_back(m);
    };
    add("FILE", R"({"url":"https://dl/f","name":"отчёт.pdf","size":1234567})");
    add("AUDIO", R"({"url":"https://ok.ru/a.ogg"})");
    add("CONTACT", R"({"name":"Мария","phone":"79493344555"})");
    add("LOCATION", R"({"latitude":59.928658,"longitude":30.38113,"livePeriod":600})");
    add("sticker", "null");
    add("HOLOGRAM", R"({"x":1})");
    const auto doc = JsonDocument::parse(exportTelegram(v));
    const auto& m = doc.root().find("messages")->items();
    REQUIRE(m.size() == 6);
    CHECK(m[0].find("file")->asString() == kTelegramFileNotIncluded);
    CHECK(m[0].find("file_name")->asString() == "отчёт.pdf");
    CHECK(m[0].find("file_size")->asInt64() == 1234567);
    CHECK(m[1].find("media_type")->asString() == "voice_message");
    CHECK(m[2].find("contact_information")->raw() ==
          R"({"first_name":"Мария","last_name":"","phone_number":"79493344555"})");
    CHECK(m[3].find("location_information")->raw() == R"({"latitude":59.928658,"longitude":30.38113})");
    CHECK(m[3].find("live_location_period_seconds")->asInt64() == 600);
    CHECK(m[4].find("media_type")->asString() == "sticker");
    CHECK(m[5].find("file") == nullptr);  // no Telegram equivalent: the NDJSON export keeps it
    CHECK(m[5].find("photo") == nullptr);
}

TEST_CASE("Telegram JSON ids run on across parts and replies keep their target's id") {
    const std::int64_t t0 = 1498581292941;
    std::vector<Message> v;
    for (int i = 0; i < 5; ++i)
        v.push_back(textMessage("mid:" + std::to_string(i), t0 + i, 100 + i, "user:1", "Ivan", "m"));
    v[4].replyTo = "mid:1";
    TempDir dir;
    auto request = requestFor(v, "telegram-json", dir.file("result.json"));
    request.partition = PartitionPolicy::messages(2);
    VectorReplyResolver resolver(v);
    request.replies = &resolver;
    const auto summary = runExport(request);
    REQUIRE(summary.files.size() == 3);
    const auto last = JsonDocument::parse(readFile(summary.files[2]));
    const auto& messages = last.root().find("messages")->items();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].find("id")->asInt64() == 5);
    CHECK(messages[0].find("reply_to_message_id")->asInt64() == 2);
}

TEST_CASE("Telegram JSON chat ids, types and peer ids") {
    CHECK(telegramChatNumber("chat:C3ecb9d02a600") == 0xC3ecb9d02a600);
    const auto hashed = telegramChatNumber("chat:not_hex-id");
    CHECK(hashed == telegramChatNumber("chat:not_hex-id"));
    CHECK(hashed >= 0);
    CHECK(hashed < (std::int64_t(1) << 53));
    CHECK(telegramChatNumber("chat:C3ecb9d02a6001") != telegramChatNumber("chat:C3ecb9d02a6002"));
    CHECK(telegramChatType("CHAT") == "private_group");
    CHECK(telegramChatType("dialog") == "personal_chat");
    CHECK(telegramPeerId("user:123") == "user123");
}

TEST_CASE("Links are found in text with their trailing punctuation left out") {
    CHECK(pieceTexts("a https://ok.ru/x. b", true) == std::vector<std::string>{"https://ok.ru/x"});
    CHECK(pieceTexts("(see http://en.wikipedia.org/wiki/A_(b))", true) ==
          std::vector<std::string>{"http://en.wikipedia.org/wiki/A_(b)"});
    CHECK(pieceTexts("HTTPS://OK.RU, next", true) == std::vector<std::string>{"HTTPS://OK.RU"});
    CHECK(pieceTexts("xhttps://ok.ru https:// https:///path ftp://x", true).empty());
    CHECK(pieceTexts("<https://ok.ru/a>\"q", true) == std::vector<std::string>{"https://ok.ru/a"});
    std::string joined;
    for (const auto& piece : splitLinks("1 https://a.b/c?d=e&f 2\nhttp://x.y 3")) joined += piece.text;
    CHECK(joined == "1 https://a.b/c?d=e&f 2\nhttp://x.y 3");
    CHECK(splitLinks("").empty());
}

TEST_CASE("Telegram JSON export of hostile text is valid UTF-8 JSON that strict readers take") {
    std::vector<Message> v;
    v.push_back(
        textMessage("mid:x", 1498581292941, 1, "user:1", std::string("N\0ame", 5),
                    std::string("nul \0 lone \xED\xA0\x80 bad \xFF esc \x1b[2J https://ok.ru/\xED\xA0\x80", 47)));
    const std::string text = exportTelegram(v);
    CHECK(text.find("\\u0000") == std::string::npos);
    CHECK(text.find("\\ud8") == std::string::npos);
    CHECK(text.find('\xFF') == std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);  // escaped as \u001b
    const auto doc = JsonDocument::parse(text);
    const auto& m = doc.root().find("messages")->items().at(0);
    CHECK(m.find("from")->asString() ==
          "N\xEF\xBF\xBD"
          "ame");
    CHECK(m.find("text_entities")->items().at(0).find("text")->asString() ==
          "nul \xEF\xBF\xBD lone \xEF\xBF\xBD bad \xEF\xBF\xBD esc \x1b[2J https://ok.ru/\xEF\xBF\xBD");  // no link
}

TEST_CASE("Telegram JSON export marks as links only the URLs the HTML export would link") {
    // A bidi override makes a link text read as another address; a stored lone surrogate is no URL either. Tools that
    // turn text_entities into clickable links must not get them: they stay plain, one piece with their neighbours.
    std::vector<Message> v;
    v.push_back(textMessage("mid:x", 1498581292941, 1, "user:1", "Ivan",
                            "see https://ok.ru/\u202Eexe.gnp now and https://ok.ru/y"));
    const auto doc = JsonDocument::parse(exportTelegram(v));
    const auto& entities = doc.root().find("messages")->items().at(0).find("text_entities")->items();
    REQUIRE(entities.size() == 2);
    CHECK(entities.at(0).find("type")->asString() == "plain");
    CHECK(entities.at(0).find("text")->asString() == "see https://ok.ru/\u202Eexe.gnp now and ");
    CHECK(entities.at(1).find("type")->asString() == "link");
    CHECK(entities.at(1).find("text")->asString() == "https://ok.ru/y");
}

TEST_CASE("Telegram JSON export maps every kind the HTML and txt sentences know: ENTER, INVITE and KICK too") {
    const std::int64_t t0 = 1498581292941;
    std::vector<Message> v;
    v.push_back(serviceMessage("mid:1", t0, 1, "user:4", "Anna", R"({"ui":4,"ty":"ENTER"})", "ENTER", "user:4"));
    v.push_back(serviceMessage("mid:2", t0, 2, "user:1", "Ivan", R"({"ui":4,"ty":"INVITE"})", "INVITE", "user:4"));
    v.push_back(serviceMessage("mid:3", t0, 3, "user:1", "Ivan", R"({"ui":4,"ty":"KICK"})", "kick", "user:4"));
    const auto doc = JsonDocument::parse(exportTelegram(v));
    const auto& messages = doc.root().find("messages")->items();
    REQUIRE(messages.size() == 3);
    auto field = [&](std::size_t i, const char* key) { return std::string(messages[i].find(key)->raw()); };
    CHECK(field(0, "action") == R"("join_group_by_link")");
    CHECK(messages[0].find("members") == nullptr);
    CHECK(field(1, "action") == R"("invite_members")");
    CHECK(field(1, "members") == R"(["Anna"])");
    CHECK(field(2, "action") == R"("remove_members")");
    CHECK(field(2, "members") == R"(["Anna"])");
}
