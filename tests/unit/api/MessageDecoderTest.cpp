#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "domain/Json.h"
#include "api/MessageDecoder.h"
#include "support/TestPaths.h"

using namespace okarchive;

namespace {

std::string readSeed(const std::string& prefix) {
    for (const auto& entry : std::filesystem::directory_iterator(okarchive::test::seedsDir())) {
        if (entry.path().filename().string().rfind(prefix, 0) == 0) {
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            return ss.str();
        }
    }
    FAIL("no seed " << prefix << " in " << okarchive::test::seedsDir());
    return "";
}

/// The seeds annotate JSON with /* comments */: drop them (outside strings) so the rest is plain JSON.
std::string stripComments(const std::string& text) {
    std::string out;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < text.size())
                out += text[++i];
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
            out += c;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            std::size_t end = text.find("*/", i + 2);
            REQUIRE(end != std::string::npos);
            i = end + 1;
        } else {
            out += c;
        }
    }
    return out;
}

std::string between(const std::string& text, const std::string& from, const std::string& to) {
    auto b = text.find(from);
    REQUIRE(b != std::string::npos);
    b += from.size();
    auto e = text.find(to, b);
    REQUIRE(e != std::string::npos);
    return text.substr(b, e - b);
}

/// The span of the balanced {...} starting at the first '{' at or after `from` in `text`.
std::string_view balancedObject(std::string_view text, std::size_t from) {
    std::size_t b = text.find('{', from);
    int depth = 0;
    for (std::size_t i = b; i < text.size(); ++i) {
        if (text[i] == '{') ++depth;
        if (text[i] == '}' && --depth == 0) return text.substr(b, i - b + 1);
    }
    return {};
}

Message decodeOne(const std::string& json, const std::string& chatId = "chat:fallback") {
    auto doc = JsonDocument::parse(json);
    return decodeMessage(doc.root(), chatId);
}

std::string decodeError(const std::string& json) {
    try {
        decodeOne(json);
    } catch (const JsonParseError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("Seed 003 GET response decodes exactly", "[decoder][seed]") {
    const std::string seed = readSeed("003_");
    const std::string json = stripComments(between(seed, "\nResponse\n", "\nAttachment types"));
    auto doc = JsonDocument::parse(json);
    auto page = decodeMessagePage(doc.root(), "chat:C3ecb9d02a600");
    REQUIRE(page.size() == 2);

    const Message& first = page[0];
    CHECK(first.chatId == "chat:C3ecb9d02a600");
    CHECK(first.mid == "mid:C3ecb9d02a600.15cea67d78d2059");
    CHECK(first.seq == 98211023614189660LL);
    CHECK(first.timestamp == 1498581292941LL);
    CHECK(first.senderId == "user:123456789012");
    CHECK(first.senderName == "John Smith");
    REQUIRE(first.text);
    CHECK(*first.text == "text");
    CHECK(first.attachments.empty());
    CHECK_FALSE(first.replyTo);
    CHECK(first.kind() == MessageKind::Message);
    CHECK(first.rawJson == doc.root().find("messages")->items()[0].raw());
    CHECK(first.rawJson.front() == '{');
    CHECK(first.rawJson.back() == '}');

    const Message& second = page[1];
    CHECK(second.seq == 98211018056672380LL);
    CHECK(second.mid == "mid:C3ecb9d02a600.15cea668c4c2481");
    CHECK(second.timestamp == 1498581208140LL);
    CHECK(*second.text == "https://ya.ru/");
    REQUIRE(second.attachments.size() == 1);
    CHECK(second.attachments[0].type == "SHARE");
    // The payload is kept as the exact source span, whitespace and all.
    const std::string_view expected = balancedObject(json, json.find("\"payload\":"));
    CHECK(second.attachments[0].payloadJson == expected);
    CHECK(second.attachments[0].payloadJson.find("\"url\": \"https://ya.ru/\"") != std::string::npos);
    CHECK(second.attachments[0].payloadJson.find('\n') != std::string::npos);
    CHECK(json.find(second.rawJson) != std::string::npos);
}

TEST_CASE("Seed 003 service message example decodes as EXIT", "[decoder][seed]") {
    const std::string seed = readSeed("003_");
    std::string fragment = stripComments(seed.substr(seed.find("\"message\": {", seed.find("user leaving a chat"))));
    auto doc = JsonDocument::parse("{" + fragment + ", \"timestamp\": 1528000000000}");
    Message m = decodeMessage(doc.root(), "chat:C3ecb9cd75b00");
    CHECK(m.mid == "mid:C3ecb9cd75b00.163caa4a35d2c93");
    CHECK(m.seq == 1234567890123456LL);
    CHECK(m.chatId == "chat:C3ecb9cd75b00");
    REQUIRE(m.text);
    CHECK(*m.text == R"({"ui":1234567890123,"ty":"EXIT"})");
    REQUIRE(m.service);
    CHECK(m.service->type == "EXIT");
    CHECK(m.service->userId == "user:1234567890123");
    CHECK(m.kind() == MessageKind::Service);
}

TEST_CASE("Seed 002 JSON examples all parse", "[json][seed]") {
    const std::string seed = readSeed("002_");
    int blocks = 0;
    for (std::size_t at = seed.find("{% highlight json %}"); at != std::string::npos;
         at = seed.find("{% highlight json %}", at + 1)) {
        std::string block = between(seed.substr(at), "{% highlight json %}", "{% endhighlight %}");
        auto doc = JsonDocument::parse(stripComments(block));
        CHECK(doc.root().isObject());
        ++blocks;
    }
    CHECK(blocks >= 8);
}

TEST_CASE("Every attachment type is decoded with its payload verbatim and in order", "[decoder]") {
    const char* types[] = {"IMAGE",
                           "VIDEO",
                           "AUDIO",
                           "SHARE",
                           "FILE",
                           "CONTACT",
                           "INLINE_KEYBOARD",
                           "LOCATION",
                           "MUSIC",
                           "CALL",
                           "PRESENT",
                           "STICKER",
                           "HOLOGRAM_FROM_THE_FUTURE"};
    std::string list;
    std::vector<std::string> payloads;
    int i = 0;
    for (const char* type : types) {
        std::string payload = "{ \"id\" : \"" + std::to_string(i) + "\", \"n\": 1.50, \"u\":\"\\u00e9\" }";
        payloads.push_back(payload);
        if (i++) list += ",";
        list += std::string("{\"type\":\"") + type + "\",\"payload\":" + payload + "}";
    }
    Message m = decodeOne(R"({"message":{"mid":"mid:1","seq":1,"attachment":{"type":"IMAGE","payload":{"token":"t0"}},
        "attachments":[)" +
                          list + R"(]},"timestamp":1500000000005})");
    REQUIRE(m.attachments.size() == 14);
    CHECK(m.attachments[0] == Attachment{"IMAGE", R"({"token":"t0"})"});  // single `attachment` comes first
    for (std::size_t k = 0; k < 13; ++k) {
        CHECK(m.attachments[k + 1].type == types[k]);
        CHECK(m.attachments[k + 1].payloadJson == payloads[k]);
    }
    CHECK(m.attachments[13].type == "HOLOGRAM_FROM_THE_FUTURE");
}

TEST_CASE("Attachments without type or payload are kept", "[decoder]") {
    Message m = decodeOne(R"({"message":{"mid":"mid:1","seq":1,"attachments":[{"payload":[1, 2]},{"type":"FILE"},
        {"type":"STICKER","payload":null},null,"odd"]},"timestamp":1500000000005})");
    REQUIRE(m.attachments.size() == 4);
    CHECK(m.attachments[0] == Attachment{"", "[1, 2]"});
    CHECK(m.attachments[1] == Attachment{"FILE", "null"});
    CHECK(m.attachments[2] == Attachment{"STICKER", "null"});
    CHECK(m.attachments[3] == Attachment{"", "\"odd\""});

    Message single = decodeOne(R"({"message":{"mid":"mid:1","seq":1,"attachment":{"type":"LOCATION",
        "payload":{"latitude": 59.928658, "longitude": 30.38113}}},"timestamp":1500000000005})");
    REQUIRE(single.attachments.size() == 1);
    CHECK(single.attachments[0].payloadJson == R"({"latitude": 59.928658, "longitude": 30.38113})");
}

TEST_CASE("The API's deleted flag: exactly JSON true at the top level or in message", "[decoder]") {
    const auto flagged = [](const std::string& top, const std::string& inner) {
        return decodeOne(R"({)" + top + R"("message":{"mid":"mid:1","seq":1)" + inner +
                         R"(},"timestamp":1500000000005})")
            .flaggedDeleted;
    };
    CHECK_FALSE(flagged("", ""));
    CHECK(flagged(R"("deleted":true,)", ""));
    CHECK(flagged("", R"(,"deleted":true)"));
    CHECK(flagged(R"("deleted":false,)", R"(,"deleted":true)"));
    CHECK_FALSE(flagged(R"("deleted":false,)", ""));
    CHECK_FALSE(flagged(R"("deleted":"true",)", R"(,"deleted":1)"));
    CHECK_FALSE(flagged(R"("deleted":null,)", R"(,"deleted":{"at":1})"));
    // The flag is kept verbatim in the raw JSON too.
    CHECK(decodeOne(R"({"deleted":true,"message":{"mid":"mid:1","seq":1},"timestamp":1500000000005})")
              .rawJson.find("\"deleted\":true") != std::string::npos);
}

TEST_CASE("Message text: absent, null, empty and binary", "[decoder]") {
    CHECK_FALSE(decodeOne(R"({"message":{"mid":"mid:1","seq":1},"timestamp":1500000000005})").text);
    CHECK_FALSE(decodeOne(R"({"message":{"mid":"mid:1","seq":1,"text":null},"timestamp":1500000000005})").text);
    auto empty = decodeOne(R"({"message":{"mid":"mid:1","seq":1,"text":""},"timestamp":1500000000005})");
    REQUIRE(empty.text);
    CHECK(empty.text->empty());
    auto odd =
        decodeOne(R"({"message":{"mid":"mid:1","seq":1,"text":"a\u0000b\uD800c \"q\""},"timestamp":1500000000005})");
    CHECK(*odd.text == std::string("a\0b\xED\xA0\x80"
                                   "c \"q\"",
                                   11));
    CHECK_FALSE(odd.service);
}

TEST_CASE("Message fields: seq exact, numeric strings, sender, recipient fallback, reply_to", "[decoder]") {
    const std::string json = R"({"sender":{"name":"Ann","user_id":"user:9"},
        "message":{"mid":"mid:X.1","seq":"9223372036854775807","reply_to":"mid:X.0","text":"hi"},
        "timestamp":"1498581292941"})";
    Message m = decodeOne(json, "chat:given");
    CHECK(m.seq == INT64_MAX);
    CHECK(m.timestamp == 1498581292941LL);
    CHECK(m.chatId == "chat:given");
    CHECK(m.senderId == "user:9");
    CHECK(m.senderName == "Ann");
    CHECK(m.replyTo == "mid:X.0");
    CHECK(m.rawJson == json);

    CHECK(decodeOne(R"({"message":{"mid":"m","seq":1},"reply_to":"mid:top","timestamp":1500000000005})").replyTo ==
          "mid:top");
    CHECK(
        decodeOne(R"({"message":{"mid":"m","seq":1,"reply_to":{"mid":"mid:o"}},"timestamp":1500000000005})").replyTo ==
        "mid:o");
    auto noSender = decodeOne(R"({"message":{"mid":"m","seq":-3},"timestamp":1500000000000})");
    CHECK(noSender.senderId.empty());
    CHECK(noSender.seq == -3);
    CHECK(decodeOne(R"({"recipient":{"chat_id":"chat:R"},"message":{"mid":"m","seq":1},"timestamp":1500000000000})")
              .chatId == "chat:R");
}

TEST_CASE("Missing or inexact required fields are errors naming the field and mid", "[decoder]") {
    CHECK_THAT(decodeError(R"({"message":{"seq":1},"timestamp":1500000000005})"), Catch::Contains("mid"));
    CHECK_THAT(decodeError(R"({"message":{"mid":"mid:A","seq":null},"timestamp":1500000000005})"),
               Catch::Contains("seq") && Catch::Contains("mid:A"));
    CHECK_THAT(decodeError(R"({"message":{"mid":"mid:A"},"timestamp":1500000000005})"),
               Catch::Contains("seq") && Catch::Contains("mid:A"));
    CHECK_THAT(decodeError(R"({"message":{"mid":"mid:A","seq":1}})"),
               Catch::Contains("timestamp") && Catch::Contains("mid:A"));
    CHECK_THAT(decodeError(R"({"message":{"mid":"mid:A","seq":1.5},"timestamp":1500000000005})"),
               Catch::Contains("seq") && Catch::Contains("1.5"));
    CHECK_THAT(decodeError(R"({"message":{"mid":"mid:A","seq":9223372036854775808},"timestamp":1500000000005})"),
               Catch::Contains("seq"));
    CHECK_THAT(decodeError(R"({"message":{"mid":"mid:A","seq":"12x"},"timestamp":1500000000005})"),
               Catch::Contains("seq"));
    CHECK_THAT(decodeError(R"({"message":{"mid":"mid:A","seq":1},"timestamp":true})"), Catch::Contains("timestamp"));
    CHECK_THAT(decodeError("[1]"), Catch::Contains("not a JSON object"));
}

TEST_CASE("Service texts: known, unknown kinds and non-service texts", "[decoder]") {
    CHECK(decodeServiceText(R"({"ui":1234567890123,"ty":"EXIT"})") == ServiceEvent{"EXIT", "user:1234567890123"});
    CHECK(decodeServiceText(R"( {"ty":"SOMETHING_NEW","ui":"42","extra":[1]} )") ==
          ServiceEvent{"SOMETHING_NEW", "user:42"});
    CHECK(decodeServiceText(R"({"ty":"TITLE_CHANGED"})") == ServiceEvent{"TITLE_CHANGED", std::nullopt});
    CHECK(decodeServiceText(R"({"ty":"ADD","ui":"user:7"})") == ServiceEvent{"ADD", "user:7"});
    CHECK(decodeServiceText(R"({"ty":"ADD","ui":9223372036854775807})") ==
          ServiceEvent{"ADD", "user:9223372036854775807"});
    CHECK_FALSE(decodeServiceText("hello"));
    CHECK_FALSE(decodeServiceText(""));
    CHECK_FALSE(decodeServiceText(R"({"ui":1,"ty":)"));
    CHECK_FALSE(decodeServiceText(R"({"ui":1})"));
    CHECK_FALSE(decodeServiceText(R"({"ty":5})"));
    CHECK_FALSE(decodeServiceText(R"(["ty"])"));
    CHECK_FALSE(decodeServiceText(R"({"ty":"EXIT"} trailing)"));
    CHECK_FALSE(decodeServiceText("{}"));

    Message m = decodeOne(
        R"({"message":{"mid":"m","seq":1,"text":"{\"ui\":5,\"ty\":\"JOIN_BY_LINK\"}"},"timestamp":1500000000001})");
    REQUIRE(m.service);
    CHECK(m.service->type == "JOIN_BY_LINK");
    CHECK(*m.text == R"({"ui":5,"ty":"JOIN_BY_LINK"})");
}

TEST_CASE("Message pages: empty, missing and malformed", "[decoder]") {
    auto page = [](const std::string& json) {
        auto doc = JsonDocument::parse(json);
        return decodeMessagePage(doc.root(), "chat:C");
    };
    CHECK(page("{}").empty());
    CHECK(page(R"({"messages":[]})").empty());
    CHECK(page(R"({"messages":null})").empty());
    CHECK_THROWS_AS(page(R"({"messages":{}})"), JsonParseError);
    CHECK_THROWS_AS(page(R"([])"), JsonParseError);
    REQUIRE(page(R"({"messages":[1]})").size() == 1);  // an odd item is quarantined, not the page refused
    CHECK(page(R"({"messages":[1]})")[0].undecodable);
    auto one = page(R"({"messages":[{"message":{"mid":"m","seq":1},"timestamp":1500000000002}]})");
    REQUIRE(one.size() == 1);
    CHECK(one[0].chatId == "chat:C");

    // A message naming another chat as its recipient is not filed under the chat asked for, nor under the other one.
    auto foreign = page(
        R"({"messages":[{"recipient":{"chat_id":"chat:OTHER"},"message":{"mid":"m2","seq":2},"timestamp":1500000000003}]})");
    REQUIRE(foreign.size() == 1);
    REQUIRE(foreign[0].undecodable);
    CHECK_THAT(*foreign[0].undecodable, Catch::Contains("chat:OTHER"));
    CHECK(foreign[0].chatId == "chat:C");
    CHECK(foreign[0].hasTimestamp);
}

TEST_CASE("An undecodable message comes back whole for the quarantine, its usable timestamp kept", "[decoder]") {
    const std::string good = R"({"message":{"mid":"mid:ok","seq":7},"timestamp":1700000000000})";
    const std::string hugeSeq =
        R"({"message":{"mid":"mid:big","seq":98211023614189660000000},"timestamp":1700000000001})";
    const std::string floatTime = R"({"message":{"mid":"mid:float","seq":8},"timestamp":1700000000002.5})";
    const std::string emptyMid = R"({"message":{"mid":"","seq":9},"timestamp":1700000000003})";
    const std::string nullMid = R"({"message":{"mid":null,"seq":10},"timestamp":1700000000004})";
    const std::string farFuture = R"({"message":{"mid":"mid:max","seq":11},"timestamp":9223372036854775807})";
    const std::string epoch = R"({"message":{"mid":"mid:1970","seq":12},"timestamp":5})";
    const auto json = "{\"messages\":[" + good + "," + hugeSeq + "," + floatTime + "," + emptyMid + ",null," + nullMid +
                      "," + farFuture + "," + epoch + "]}";
    auto doc = JsonDocument::parse(json);
    const auto page = decodeMessagePage(doc.root(), "chat:C");
    REQUIRE(page.size() == 8);
    CHECK_FALSE(page[0].undecodable);
    CHECK(page[0].mid == "mid:ok");
    struct Expected {
        std::string raw, mid, reason;
        std::optional<std::int64_t> timestamp;
    };
    const std::vector<Expected> expected = {
        {hugeSeq, "mid:big", "seq", 1700000000001},   {floatTime, "mid:float", "timestamp", std::nullopt},
        {emptyMid, "", "mid", 1700000000003},         {"null", "", "not a JSON object", std::nullopt},
        {nullMid, "", "mid", 1700000000004},          {farFuture, "mid:max", "outside", std::nullopt},
        {epoch, "mid:1970", "outside", std::nullopt},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const Message& m = page[i + 1];
        INFO(expected[i].raw);
        REQUIRE(m.undecodable);
        CHECK_THAT(*m.undecodable, Catch::Contains(expected[i].reason));
        CHECK(m.rawJson == expected[i].raw);
        CHECK(m.chatId == "chat:C");
        CHECK(m.mid == expected[i].mid);
        CHECK(m.hasTimestamp == expected[i].timestamp.has_value());
        if (expected[i].timestamp) CHECK(m.timestamp == *expected[i].timestamp);
    }
}

TEST_CASE("A timestamp outside the years 2000..9999 is refused at decode time", "[decoder]") {
    auto at = [](const std::string& t) { return R"({"message":{"mid":"mid:T","seq":1},"timestamp":)" + t + "}"; };
    CHECK_THAT(decodeError(at("9223372036854775807")), Catch::Contains("outside the years 2000..9999"));
    CHECK_THAT(decodeError(at("-9223372036854775808")), Catch::Contains("outside"));
    CHECK_THAT(decodeError(at("946684799999")), Catch::Contains("outside"));     // 1999-12-31T23:59:59.999Z
    CHECK_THAT(decodeError(at("253402300800000")), Catch::Contains("outside"));  // 10000-01-01
    CHECK(decodeOne(at("946684800000")).timestamp == 946684800000);              // 2000-01-01
    CHECK(decodeOne(at("253402300799999")).timestamp == 253402300799999);        // the last ms of 9999
}

TEST_CASE("Chats decode with their raw JSON", "[decoder]") {
    auto chat = [](const std::string& json) {
        auto doc = JsonDocument::parse(json);
        return decodeChat(doc.root());
    };
    const std::string json = R"({"chat_id":"chat:C1","type":"CHAT","status":"ACTIVE","title":"T \u00e9",
        "owner_id":"user:5","participants_count":12,"icon":{"url":"u"}})";
    ChatInfo c = chat(json);
    CHECK(c.chatId == "chat:C1");
    CHECK(c.type == "CHAT");
    CHECK(c.status == "ACTIVE");
    CHECK(c.title == "T \xC3\xA9");
    CHECK(c.ownerId == "user:5");
    CHECK(c.participantsCount == 12);
    CHECK(c.rawJson == json);

    ChatInfo d = chat(R"({"chat_id":"chat:C2","participants":{"user:1":1,"user:2":2},"owner_id":77})");
    CHECK(d.participantsCount == 2);
    CHECK(d.ownerId == "77");
    CHECK(d.title.empty());
    ChatInfo e = chat(R"({"chat_id":"chat:C3"})");
    CHECK_FALSE(e.participantsCount);
    CHECK_FALSE(e.ownerId);
    CHECK_THROWS_AS(chat(R"({"title":"x"})"), JsonParseError);
}
