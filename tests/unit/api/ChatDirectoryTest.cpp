#include <catch2/catch.hpp>

#include "api/ChatDirectory.h"
#include "api/GraphClient.h"
#include "domain/Errors.h"
#include "unit/api/ScriptedServer.h"

using namespace okarchive;
using namespace okarchive::test;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<GraphClient> clientFor(const ScriptedServer& server) {
    GraphClientSettings s;
    s.baseUrl = server.baseUrl();
    s.accessToken = "tokSECRET";
    s.timeout = 5000ms;
    s.retry.maxRetries = 2;
    s.retry.baseDelay = 1ms;
    s.retry.maxDelay = 2ms;
    return std::make_unique<GraphClient>(s, nullptr);
}

}  // namespace

TEST_CASE("ChatDirectory follows marker over 3 pages", "[chats]") {
    ScriptedServer server({
        ok(R"({"chats":[{"chat_id":"chat:A","type":"CHAT","status":"ACTIVE","title":"a"},
                        {"chat_id":"chat:B","type":"CHAT","status":"ACTIVE","title":"b"}],"marker":"m 1/x"})"),
        ok(R"({"chats":[],"marker":"m2"})"),
        ok(R"({"chats":[{"chat_id":"chat:C","type":"DIALOG","status":"LEFT","title":"c","participants_count":3}]})"),
    });
    auto client = clientFor(server);
    ChatDirectory directory(*client);
    auto chats = directory.listChats();
    REQUIRE(chats.size() == 3);
    CHECK(chats[0].chatId == "chat:A");
    CHECK(chats[1].title == "b");
    CHECK(chats[2].chatId == "chat:C");
    CHECK(chats[2].status == "LEFT");
    CHECK(chats[2].participantsCount == 3);
    auto seen = server.seen();
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].uri == "/graph/me/chats?count=100&access_token=tokSECRET");
    CHECK(seen[1].uri == "/graph/me/chats?count=100&marker=m%201%2Fx&access_token=tokSECRET");
    CHECK(seen[2].uri == "/graph/me/chats?count=100&marker=m2&access_token=tokSECRET");
}

TEST_CASE("ChatDirectory stops on a repeated marker", "[chats]") {
    ScriptedServer server({ok(R"({"chats":[{"chat_id":"chat:A"}],"marker":"m1"})"),
                           ok(R"({"chats":[{"chat_id":"chat:B"}],"marker":"m2"})"),
                           ok(R"({"chats":[{"chat_id":"chat:A"}],"marker":"m1"})")});
    auto client = clientFor(server);
    ChatDirectory directory(*client);
    try {
        directory.listChats();
        FAIL("no exception");
    } catch (const ApiError& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("m1") && Catch::Contains("twice"));
    }
    CHECK(server.seen().size() == 3);
}

TEST_CASE("ChatDirectory reads one chat and posts text", "[chats]") {
    ScriptedServer server({ok(R"({"chat_id":"chat:C1","type":"CHAT","status":"ACTIVE","title":"Team",
                                  "participants":{"user:1":1498581292941,"user:2":1498581292942},"owner_id":"user:1"})"),
                           ok(R"({"success":true})"), ok(R"({"error_code":50,"error_msg":"NOT_ADMIN"})")});
    auto client = clientFor(server);
    ChatDirectory directory(*client);
    ChatInfo chat = directory.chat("chat:C1");
    CHECK(chat.title == "Team");
    CHECK(chat.participantsCount == 2);
    CHECK(chat.ownerId == "user:1");
    CHECK(server.seen()[0].uri == "/graph/me/chat/chat:C1?access_token=tokSECRET");

    const std::string text = "Line 1\n\"quoted\" \\ \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \x01";
    directory.postText("chat:C1", text);
    auto post = server.seen()[1];
    CHECK(post.method == "POST");
    CHECK(post.uri == "/graph/me/messages/chat:C1?access_token=tokSECRET");
    auto body = JsonDocument::parse(post.body);
    CHECK(body.root().find("recipient")->find("chat_id")->asString() == "chat:C1");
    CHECK(body.root().find("message")->find("text")->asString() == text);
    CHECK(body.root().members().size() == 2);

    CHECK_THROWS_AS(directory.postText("chat:C1", "x"), ChatAccessError);
}

TEST_CASE("ChatDirectory skips chats whose ids are not chat ids, with a warning, and keeps the others",
          "[chats][ids]") {
    const std::string huge = "chat:" + std::string(5000, 'A');
    ScriptedServer server({ok(R"({"chats":[{"chat_id":"chat:../../../tmp/PWNED","title":"p"},
                                            {"chat_id":"chat:Good_1-x","title":"good"},
                                            {"chat_id":")" +
                              huge + R"("},
                                            {"chat_id":"chat:\u001b[2Jx"},
                                            {"chat_id":"chat:"}]})")});
    auto client = clientFor(server);
    std::vector<std::string> warnings;
    client->setWarningSink([&](const std::string& w) { warnings.push_back(w); });
    const auto chats = ChatDirectory(*client).listChats();
    REQUIRE(chats.size() == 1);
    CHECK(chats[0].chatId == "chat:Good_1-x");
    REQUIRE(warnings.size() == 4);
    CHECK_THAT(warnings[0], Catch::Contains("chat:../../../tmp/PWNED") && Catch::Contains("not a valid chat id"));
    CHECK(warnings[1].size() < 300);  // the 5,000-character id is cut
    CHECK_THAT(warnings[1], Catch::Contains("chat:AAAA") && Catch::Contains("..."));
    CHECK(warnings[2].find('\x1b') == std::string::npos);
    CHECK_THAT(warnings[2], Catch::Contains("chat:?[2Jx"));
}

TEST_CASE("ChatDirectory skips a listed chat without an id, with a warning, and keeps the others", "[chats][ids]") {
    ScriptedServer server({ok(R"({"chats":[{"title":"no id"},{"chat_id":null},7,{"chat_id":"chat:Good"}]})")});
    auto client = clientFor(server);
    std::vector<std::string> warnings;
    client->setWarningSink([&](const std::string& w) { warnings.push_back(w); });
    const auto chats = ChatDirectory(*client).listChats();
    REQUIRE(chats.size() == 1);
    CHECK(chats[0].chatId == "chat:Good");
    REQUIRE(warnings.size() == 3);
    for (const auto& w : warnings) CHECK_THAT(w, Catch::Contains("GET /me/chats: skipped"));
}

TEST_CASE("A chat id is one percent-encoded path segment of the request", "[chats][ids]") {
    ScriptedServer server({ok(R"({"chat_id":"chat:A"})"), ok("{}"), ok(R"({"chat_id":"chat:../x"})")});
    auto client = clientFor(server);
    ChatDirectory directory(*client);
    CHECK(directory.chat("chat:../../x?y#z%").chatId == "chat:A");
    directory.postText("chat:a/b", "hi");
    CHECK_THROWS_WITH(directory.chat("chat:A"), Catch::Contains("chat:../x") && Catch::Contains("not a valid chat id"));
    const auto seen = server.seen();
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].uri == "/graph/me/chat/chat:..%2F..%2Fx%3Fy%23z%25?access_token=tokSECRET");
    CHECK(seen[1].uri == "/graph/me/messages/chat:a%2Fb?access_token=tokSECRET");
}
