#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "api/ApiAnswer.h"
#include "api/GraphClient.h"
#include "api/HistorySource.h"
#include "domain/Errors.h"
#include "net/Url.h"
#include "support/ManualEnv.h"
#include "unit/api/ScriptedServer.h"
#include "unit/net/DribblingServer.h"

using namespace okarchive;
using namespace okarchive::test;
using namespace std::chrono_literals;

namespace {

const std::string kToken = "tkn1SECRETz:AB/CD+EF=";  // ':' '/' '+' '=' so the URL-encoded form differs

GraphClientSettings settingsFor(const std::string& baseUrl) {
    GraphClientSettings s;
    s.baseUrl = baseUrl;
    s.accessToken = kToken;
    s.timeout = 5000ms;
    s.retry.maxRetries = 3;
    s.retry.baseDelay = 1ms;
    s.retry.maxDelay = 5ms;
    s.retry.deadline = 60000ms;
    return s;
}

std::unique_ptr<GraphClient> clientFor(const ScriptedServer& server) {
    return std::make_unique<GraphClient>(settingsFor(server.baseUrl()), std::make_shared<RateLimiter>(0));
}

/// Runs `f`, expects an exception of type E, and returns its what() after checking the token is not in it.
template <class E, class F>
std::string expectThrow(F&& f) {
    try {
        f();
    } catch (const E& e) {
        std::string what = e.what();
        CHECK(what.find("SECRET") == std::string::npos);
        return what;
    } catch (const std::exception& e) {
        FAIL("unexpected exception: " << e.what());
    }
    FAIL("no exception");
    return "";
}

/// Joins a thread however the test leaves its scope.
struct JoinOnExit {
    explicit JoinOnExit(std::thread& thread) : _thread(thread) {}
    ~JoinOnExit() {
        if (_thread.joinable()) _thread.join();
    }
    std::thread& _thread;
};

const std::string kPage =
    R"({"messages":[{"message":{"mid":"mid:1","seq":98211023614189660},"timestamp":1498581292941}]})";

}  // namespace

TEST_CASE("GraphClient sends the path, the query and the token", "[client]") {
    ScriptedServer server({ok(kPage), ok(kPage)});
    auto client = clientFor(server);
    GraphHistorySource source(*client);
    auto page = source.fetch("chat:C3ecb9d02a600", HistoryRequest{1498581292941, 1498577000197, 2});
    REQUIRE(page.size() == 1);
    CHECK(page[0].seq == 98211023614189660LL);
    CHECK(page[0].chatId == "chat:C3ecb9d02a600");
    source.fetch("chat:C3ecb9d02a600", HistoryRequest{});
    auto seen = server.seen();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].method == "GET");
    CHECK(seen[0].uri ==
          "/graph/me/messages/chat:C3ecb9d02a600?from=1498581292941&to=1498577000197&count=2"
          "&access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D");
    CHECK(seen[1].uri ==
          "/graph/me/messages/chat:C3ecb9d02a600?to=0&count=100&access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D");
    CHECK(seen[0].clientPort == seen[1].clientPort);  // one keep-alive connection
    CHECK(client->requestCount() == 2);
}

TEST_CASE("GraphHistorySource asks include_deleted=true only when configured", "[client]") {
    ScriptedServer server({ok(kPage), ok(kPage)});
    auto client = clientFor(server);
    GraphHistorySource plain(*client);
    GraphHistorySource withDeleted(*client, true);
    plain.fetch("chat:C1", HistoryRequest{5, 2, 3});
    withDeleted.fetch("chat:C1", HistoryRequest{5, 2, 3});
    auto seen = server.seen();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].uri == "/graph/me/messages/chat:C1?from=5&to=2&count=3&access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D");
    CHECK(seen[1].uri ==
          "/graph/me/messages/chat:C1?from=5&to=2&count=3&include_deleted=true"
          "&access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D");
}

TEST_CASE("GraphClient encodes query values", "[client]") {
    ScriptedServer server({ok("{}")});
    auto client = clientFor(server);
    client->get("/me/chats", {{"marker", "a b&c=d+e/f?\xD0\x96"}});
    CHECK(server.seen().at(0).uri ==
          "/graph/me/chats?marker=a%20b%26c%3Dd%2Be%2Ff%3F%D0%96&access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D");
}

TEST_CASE("GraphClient redacts the token raw and URL-encoded", "[client]") {
    GraphClient client(settingsFor("http://127.0.0.1:1/graph"), nullptr);
    CHECK(client.redact("a " + kToken + " b") == "a *** b");
    CHECK(client.redact("?access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D&x=1") == "?access_token=***&x=1");
    CHECK(client.redact("tkn1SECRETz%3aAB%2fCD%2bEF%3d") == "***");
    CHECK(client.redact("nothing here") == "nothing here");
    GraphClient noToken(GraphClientSettings{"http://127.0.0.1:1", "", 1000ms, {}, 1000}, nullptr);
    CHECK(noToken.redact("text") == "text");
}

TEST_CASE("GraphClient redacts the token as a whole run only, never a piece of an ordinary word", "[client][token]") {
    auto settings = settingsFor("http://127.0.0.1:1/graph");
    settings.accessToken = "x";
    GraphClient shortToken(settings, nullptr);
    CHECK(shortToken.redact("PARAM_SESSION_EXPIRED : Session expired") == "PARAM_SESSION_EXPIRED : Session expired");
    CHECK(shortToken.redact("the token x is invalid (x)") == "the token *** is invalid (***)");
    settings.accessToken = "abc";
    GraphClient word(settings, nullptr);
    CHECK(word.redact("abcdef xabc abc_1 abc") == "abcdef xabc abc_1 ***");
}

TEST_CASE("GraphClient leaves nothing of the token where it can appear", "[client][token]") {
    GraphClient client(settingsFor("http://127.0.0.1:1/graph"), nullptr);
    const std::string encoded = "tkn1SECRETz%3AAB%2FCD%2BEF%3D";
    for (const std::string& text :
         {"GET /graph/me/chats?access_token=" + encoded + "&count=1", "uri=/x?ACCESS_TOKEN=" + encoded,
          "?access_token=" + encoded + "zz9 (echoed with more)", "?access_token=" + encoded.substr(0, 12),
          "token \"" + kToken + "\" refused", "at the end: " + kToken, kToken + kToken}) {
        INFO(text);
        const std::string out = client.redact(text);
        CHECK_THAT(out, !Catch::Contains("SECRET") && Catch::Contains("***"));
    }
    CHECK(client.redact("?access_token=" + encoded + "&count=1") == "?access_token=***&count=1");
}

TEST_CASE("GraphClient redacts a token-length token even glued to a word", "[client][token]") {
    // A run of a dozen or more exact token characters is the token, wherever it stands: only a short token may be a
    // piece of an ordinary word.
    GraphClient client(settingsFor("http://127.0.0.1:1/graph"), nullptr);
    for (const std::string& text :
         {"Session_key" + kToken + " refused", "token:" + kToken + "0abc", "x" + percentEncode(kToken) + "y"}) {
        INFO(text);
        CHECK_THAT(client.redact(text), !Catch::Contains("SECRET") && Catch::Contains("***"));
    }
}

TEST_CASE("GraphClient rejects a bad base_url", "[client]") {
    CHECK_THROWS_AS(GraphClient(settingsFor("ftp://example.com/graph"), nullptr), UsageError);
    CHECK_THROWS_AS(GraphClient(settingsFor("not a url"), nullptr), UsageError);
}

TEST_CASE("HTTP 200 with error_code 102 is an AuthError", "[client]") {
    ScriptedServer server(
        {ok(R"({"error_code":102,"error_msg":"PARAM_SESSION_EXPIRED : Session expired","error_data":null})")});
    auto client = clientFor(server);
    std::string what = expectThrow<AuthError>([&] { client->get("/me/chats", {}); });
    CHECK_THAT(what, Catch::Contains("error 102 PARAM_SESSION_EXPIRED") && Catch::Contains("api.access_token"));
    CHECK(client->requestCount() == 1);
}

TEST_CASE("An invocation-error header counts when the body has no error_code", "[client]") {
    Scripted r = ok("{}");
    r.headers = {{"invocation-error", "103"}};
    ScriptedServer server({r});
    auto client = clientFor(server);
    expectThrow<AuthError>([&] { client->get("/me/info", {}); });
}

TEST_CASE("Error 10 is a ChatAccessError carrying error_msg", "[client]") {
    ScriptedServer server({ok(R"({"error_code":10,"error_msg":"PERMISSION_DENIED : not a member"})")});
    auto client = clientFor(server);
    std::string what = expectThrow<ChatAccessError>([&] { client->get("/me/messages/chat:X", {}); });
    CHECK_THAT(what, Catch::Contains("not a member") && Catch::Contains("chat:X"));
    CHECK(client->requestCount() == 1);
}

TEST_CASE("Error 100 is a final ApiError, not retried, error_code kept", "[client]") {
    ScriptedServer server({status(400, R"({"error_code":100,"error_msg":"PARAM : bad count"})")});
    auto client = clientFor(server);
    try {
        client->get("/me/chats", {});
        FAIL("no exception");
    } catch (const RetriesExhaustedError&) {
        FAIL("must not retry");
    } catch (const ApiError& e) {
        CHECK(e.errorCode() == 100);
        CHECK(e.httpStatus() == 400);
        CHECK_THAT(std::string(e.what()), Catch::Contains("bad count"));
    }
    CHECK(client->requestCount() == 1);
}

TEST_CASE("HTTP 503 then 200 succeeds with 2 requests", "[client]") {
    ScriptedServer server({status(503), ok(kPage)});
    auto client = clientFor(server);
    std::vector<std::pair<int, int>> observed;
    client->setObserver([&](int http, int code) { observed.emplace_back(http, code); });
    auto doc = client->get("/me/messages/chat:X", {});
    CHECK(doc.root().find("messages")->items().size() == 1);
    CHECK(client->requestCount() == 2);
    CHECK(observed == std::vector<std::pair<int, int>>{{503, 0}, {200, 0}});
}

TEST_CASE("HTTP 429 with Retry-After 0 then 200 succeeds", "[client]") {
    Scripted limited = status(429, "Too many");
    limited.headers = {{"Retry-After", "0"}};
    ScriptedServer server({limited, ok("{}")});
    auto client = clientFor(server);
    client->get("/me/chats", {});
    CHECK(client->requestCount() == 2);
}

TEST_CASE("Error 8 FLOOD_BLOCKED in a 200 body is retried", "[client]") {
    ScriptedServer server({ok(R"({"error_code":8,"error_msg":"FLOOD_BLOCKED"})"), ok(kPage)});
    auto client = clientFor(server);
    std::vector<int> codes;
    client->setObserver([&](int, int code) { codes.push_back(code); });
    client->get("/me/messages/chat:X", {});
    CHECK(client->requestCount() == 2);
    CHECK(codes == std::vector<int>{8, 0});
}

TEST_CASE("A truncated body is retried", "[client]") {
    Scripted cut = ok(kPage.substr(0, 30));
    cut.declaredLength = kPage.size();
    ScriptedServer server({cut, ok(kPage)});
    auto client = clientFor(server);
    auto doc = client->get("/me/messages/chat:X", {});
    CHECK(doc.root().find("messages")->items()[0].find("message")->find("seq")->asInt64() == 98211023614189660LL);
    CHECK(client->requestCount() == 2);
}

TEST_CASE("A chunked body that is not whole JSON is retried", "[client]") {
    Scripted half = ok(kPage.substr(0, 40));
    half.chunked = true;
    ScriptedServer server({half, ok(kPage)});
    auto client = clientFor(server);
    client->get("/me/messages/chat:X", {});
    CHECK(client->requestCount() == 2);
}

TEST_CASE("A non-JSON HTML page is retried", "[client]") {
    Scripted html = ok("<html><body>Bad gateway</body></html>");
    html.contentType = "text/html";
    Scripted html502 = html;
    html502.status = 502;
    ScriptedServer server({html, html502, ok("{}")});
    auto client = clientFor(server);
    client->get("/me/chats", {});
    CHECK(client->requestCount() == 3);
}

TEST_CASE("Always 503 gives RetriesExhaustedError after maxRetries+1 attempts", "[client]") {
    ScriptedServer server({status(503, "<html>down</html>")}, true);
    auto client = clientFor(server);
    std::string what = expectThrow<RetriesExhaustedError>([&] {
        client->get("/me/messages/chat:X", {{"count", "100"}});
    });
    CHECK_THAT(what, Catch::Contains("GET /me/messages/chat:X failed after 4 attempts: HTTP 503"));
    CHECK_THAT(what, !Catch::Contains("access_token") && !Catch::Contains("?"));
    CHECK(client->requestCount() == 4);
    CHECK(server.seen().size() == 4);
}

TEST_CASE("No retry starts after the deadline", "[client]") {
    ScriptedServer server({status(503)}, true);
    auto settings = settingsFor(server.baseUrl());
    settings.retry.deadline = 0ms;
    GraphClient client(settings, nullptr);
    std::string what = expectThrow<RetriesExhaustedError>([&] { client.get("/me/chats", {}); });
    CHECK_THAT(what, Catch::Contains("deadline"));
    CHECK(client.requestCount() == 1);
}

TEST_CASE("A Retry-After beyond the deadline stops the retries", "[client]") {
    Scripted limited = status(429);
    limited.headers = {{"Retry-After", "3600"}};
    ScriptedServer server({limited}, true);
    auto client = clientFor(server);
    std::string what = expectThrow<RetriesExhaustedError>([&] { client->get("/me/chats", {}); });
    CHECK_THAT(what, Catch::Contains("3600000 ms") && Catch::Contains("HTTP 429"));
    CHECK(client->requestCount() == 1);
}

TEST_CASE("HTTP 404 without error_code is a final ApiError", "[client]") {
    Scripted missing = status(404, "<html>Not here</html>");
    missing.contentType = "text/html";
    ScriptedServer server({missing});
    auto client = clientFor(server);
    std::string what = expectThrow<ApiError>([&] { client->get("/me/nothing", {}); });
    CHECK_THAT(what, Catch::Contains("HTTP 404"));
    CHECK(client->requestCount() == 1);
}

TEST_CASE("The token never reaches an exception, even when the server echoes it", "[client]") {
    Scripted echo = ok(R"({"error_code":100,"error_msg":"PARAM : bad request"})");
    echo.echoUri = true;
    Scripted echoAuth = ok(R"({"error_code":102,"error_msg":"PARAM_SESSION_EXPIRED : token"})");
    echoAuth.echoUri = true;
    Scripted echoChat = ok(R"({"error_code":300,"error_msg":"NOT_FOUND : chat"})");
    echoChat.echoUri = true;
    Scripted echoFlood = ok(R"({"error_code":2,"error_msg":"SERVICE : busy"})");
    echoFlood.echoUri = true;
    ScriptedServer server({echo, echoAuth, echoChat, echoFlood, echoFlood, echoFlood, echoFlood});
    auto client = clientFor(server);
    std::string what = expectThrow<ApiError>([&] { client->get("/me/chats", {}); });
    CHECK_THAT(what, Catch::Contains("access_token=***"));  // the echo arrived, redacted
    expectThrow<AuthError>([&] { client->get("/me/chats", {}); });
    expectThrow<ChatAccessError>([&] { client->get("/me/chat/chat:Z", {}); });
    what = expectThrow<RetriesExhaustedError>([&] { client->get("/me/chats", {}); });
    CHECK_THAT(what, Catch::Contains("error 2 SERVICE") && Catch::Contains("access_token=***"));
    // A token inside the path is redacted as well.
    ScriptedServer failing({status(500)}, true);
    auto other = clientFor(failing);
    expectThrow<RetriesExhaustedError>([&] { other->get("/me/" + kToken, {}); });
}

TEST_CASE("A long error_msg is clipped after redaction, so no part of the token survives", "[client]") {
    // error_msg = padding + " uri=/graph/me/chats?access_token=<URL-encoded token>": the 300-byte clip falls
    // after 6, 7, ... characters of the token in turn.
    const std::string beforeToken = " uri=/graph/me/chats?access_token=";
    const std::size_t limit = 300;
    const std::size_t encodedLength = 29;  // tkn1SECRETz%3AAB%2FCD%2BEF%3D
    std::vector<Scripted> script;
    for (std::size_t inToken = 6; inToken < encodedLength; ++inToken) {
        Scripted echo =
            ok(R"({"error_code":100,"error_msg":")" + std::string(limit - beforeToken.size() - inToken, 'p') + "\"}");
        echo.echoUri = true;
        script.push_back(echo);
    }
    ScriptedServer server(script);
    auto client = clientFor(server);
    for (std::size_t i = 0; i < script.size(); ++i) {
        const std::string what = expectThrow<ApiError>([&] { client->get("/me/chats", {}); });
        INFO(what);
        CHECK_THAT(what, Catch::Contains("access_token=***"));  // the echo arrived, redacted whole
        CHECK_THAT(what, !Catch::Contains(kToken.substr(0, 6)));
    }
    const auto seen = server.seen();
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.front().uri.rfind(beforeToken.substr(5), 0) == 0);  // the padding was computed for this URI
}

TEST_CASE("Responses over maxResponseBytes are refused", "[client]") {
    const std::string big = "{\"messages\":[],\"pad\":\"" + std::string(5000, 'x') + "\"}";
    Scripted chunked = ok(big);
    chunked.chunked = true;
    ScriptedServer server({ok(big), chunked, ok(big)});
    auto settings = settingsFor(server.baseUrl());
    settings.maxResponseBytes = 1000;
    GraphClient client(settings, nullptr);
    std::string what = expectThrow<ApiError>([&] { client.get("/me/messages/chat:X", {}); });
    CHECK_THAT(what, Catch::Contains("1000 bytes"));
    what = expectThrow<ApiError>([&] { client.get("/me/messages/chat:X", {}); });  // no Content-Length
    CHECK_THAT(what, Catch::Contains("1000 bytes"));
    CHECK(client.requestCount() == 2);
    settings.maxResponseBytes = big.size();
    GraphClient roomy(settings, nullptr);
    CHECK_NOTHROW(roomy.get("/me/messages/chat:X", {}));
}

TEST_CASE("A history page over the page limit or the value limit is refused naming the chat, not retried",
          "[client][limits]") {
    std::string many = R"({"messages":[{})";
    for (int i = 1; i < 150; ++i) many += ",{}";
    many += "]}";
    const std::string big = R"({"chat_id":"chat:Big","pad":")" + std::string(5000, 'x') + "\"}";
    ScriptedServer server({ok(big), ok(big), ok(many)});
    auto settings = settingsFor(server.baseUrl());
    settings.maxPageBytes = 1000;  // pages only: any other answer may be as large as maxResponseBytes
    settings.maxValues = 100;
    GraphClient client(settings, nullptr);
    GraphHistorySource history(client);
    std::string what = expectThrow<ApiError>([&] { history.fetch("chat:Big", HistoryRequest{}); });
    CHECK_THAT(what, Catch::Contains("/me/messages/chat:Big") && Catch::Contains("1000 bytes"));
    CHECK_NOTHROW(client.get("/me/chat/chat:Big", {}));  // 5 KB is fine for a chat's metadata
    what = expectThrow<ApiError>([&] { history.fetch("chat:Big", HistoryRequest{}); });
    CHECK_THAT(what, Catch::Contains("/me/messages/chat:Big") && Catch::Contains("more than 100 values"));
    CHECK(client.requestCount() == 3);  // neither refusal was retried: the same answer would cost the same again
}

TEST_CASE("A read timeout is retried", "[client]") {
    Scripted slow = ok("{}");
    slow.delay = 800ms;
    ScriptedServer server({slow, ok(kPage)});
    auto settings = settingsFor(server.baseUrl());
    settings.timeout = 150ms;
    GraphClient client(settings, nullptr);
    std::vector<int> statuses;
    client.setObserver([&](int http, int) { statuses.push_back(http); });
    auto doc = client.get("/me/messages/chat:X", {});
    CHECK(doc.root().find("messages"));
    CHECK(statuses == std::vector<int>{0, 200});
}

TEST_CASE("A dribbling server fails each attempt at its total deadline and the retries still apply",
          "[client][deadline]") {
    ignoreBrokenPipes();
    DribblingServer server(kPage, 100ms);  // ~9 s for the whole page, one byte at a time
    auto settings = settingsFor(server.baseUrl());
    settings.timeout = 1000ms;
    settings.retry.maxRetries = 1;
    ManualEnv env;  // the backoff waits on it (at once); the deadline is the transport's, on the system clock
    GraphClient client(settings, nullptr, env);
    const auto start = std::chrono::steady_clock::now();
    const std::string what = expectThrow<RetriesExhaustedError>([&] { client.get("/me/messages/chat:X", {}); });
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK_THAT(what, Catch::Contains("2 attempts") && Catch::Contains("127.0.0.1") && Catch::Contains("1000 ms"));
    CHECK(client.requestCount() == 2);
    CHECK(server.connections() == 2);
    CHECK(took < 5s);  // two 1 s deadlines, not two 9 s pages
}

TEST_CASE("Connection refused is retried and then exhausted", "[client]") {
    std::uint16_t port;
    {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = socket.address().port();
    }
    GraphClient client(settingsFor("http://127.0.0.1:" + std::to_string(port) + "/graph"),
                       std::make_shared<RateLimiter>(0));
    std::string what = expectThrow<RetriesExhaustedError>([&] { client.get("/me/chats", {}); });
    CHECK_THAT(what, Catch::Contains("connection refused") && Catch::Contains("4 attempts"));
    CHECK(client.requestCount() == 4);
    // POST: the request certainly was not processed, so it is retried too.
    what = expectThrow<RetriesExhaustedError>([&] { client.post("/me/messages/chat:X", "{}"); });
    CHECK(client.requestCount() == 8);
}

TEST_CASE("POST sends JSON and is retried only when certainly not processed", "[client]") {
    Scripted limited = status(429);
    limited.headers = {{"Retry-After", "0"}};
    ScriptedServer server({ok(R"({"success":true})"), limited, ok("{}"),
                           ok(R"({"error_code":8,"error_msg":"FLOOD_BLOCKED"})"), ok(""), status(503), ok("{}"),
                           ok(R"({"error_code":2,"error_msg":"SERVICE"})"), ok("{}")});
    auto client = clientFor(server);
    const std::string body = R"({"recipient":{"chat_id":"chat:X"},"message":{"text":"Привет"}})";

    auto doc = client->post("/me/messages/chat:X", body);
    CHECK(doc.root().find("success")->asBool());
    auto seen = server.seen();
    CHECK(seen[0].method == "POST");
    CHECK(seen[0].body == body);
    CHECK(seen[0].contentType == "application/json;charset=utf-8");
    CHECK(seen[0].uri == "/graph/me/messages/chat:X?access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D");

    client->post("/me/messages/chat:X", body);  // 429 then 200
    CHECK(client->requestCount() == 3);
    client->post("/me/messages/chat:X", body);  // error 8 then an empty 200 (= done)
    CHECK(client->requestCount() == 5);

    std::string what = expectThrow<ApiError>([&] { client->post("/me/messages/chat:X", body); });  // 503: ambiguous
    CHECK_THAT(what, Catch::Contains("not retried") && Catch::Contains("HTTP 503"));
    CHECK(client->requestCount() == 6);
    client->post("/me/messages/chat:X", body);                                         // the 200 after it
    what = expectThrow<ApiError>([&] { client->post("/me/messages/chat:X", body); });  // error 2: ambiguous
    CHECK_THAT(what, Catch::Contains("error 2 SERVICE"));
    CHECK(client->requestCount() == 8);
}

TEST_CASE("POST is not retried after a timeout waiting for the answer", "[client]") {
    Scripted slow = ok("{}");
    slow.delay = 800ms;
    ScriptedServer server({slow, ok("{}")});
    auto settings = settingsFor(server.baseUrl());
    settings.timeout = 150ms;
    GraphClient client(settings, nullptr);
    std::string what = expectThrow<ApiError>([&] { client.post("/me/messages/chat:X", "{}"); });
    CHECK_THAT(what, Catch::Contains("timeout") && Catch::Contains("not retried"));
    CHECK(client.requestCount() == 1);
}

TEST_CASE("Every attempt goes through the rate limiter", "[client]") {
    ScriptedServer server({status(503), status(503), ok("{}")});
    auto settings = settingsFor(server.baseUrl());
    auto limiter = std::make_shared<RateLimiter>(20.0);  // 50 ms apart
    ManualEnv env;
    GraphClient client(settings, limiter, env);
    const auto start = env.now();
    client.get("/me/chats", {});
    CHECK(env.now() - start == 100ms);  // 3 slots: 0, 50, 100 ms (each backoff, at most 5 ms, fits in between)
    CHECK(client.requestCount() == 3);
    CHECK(env.sleeps().size() == 5);  // 3 slots, 2 backoffs
}

TEST_CASE("GraphHistorySource reports an unusable page as ApiError naming the chat", "[client]") {
    ScriptedServer server({ok(R"({"messages":{"message":{"mid":"mid:bad"}}})")});
    auto client = clientFor(server);
    GraphHistorySource source(*client);
    std::string what = expectThrow<ApiError>([&] { source.fetch("chat:X", HistoryRequest{}); });
    CHECK_THAT(what, Catch::Contains("chat:X") && Catch::Contains("not an array"));
    CHECK(client->requestCount() == 1);
}

TEST_CASE("GraphHistorySource hands an undecodable message on for the quarantine, naming the field", "[client]") {
    ScriptedServer server({ok(R"({"messages":[{"message":{"mid":"mid:bad"},"timestamp":1498581292941}]})")});
    auto client = clientFor(server);
    GraphHistorySource source(*client);
    const auto page = source.fetch("chat:X", HistoryRequest{});
    REQUIRE(page.size() == 1);
    REQUIRE(page[0].undecodable);
    CHECK_THAT(*page[0].undecodable, Catch::Contains("seq") && Catch::Contains("mid:bad"));
    CHECK(page[0].timestamp == 1498581292941);
}

TEST_CASE("https against a server that does not speak TLS is a retried network failure", "[client]") {
    // A bare TCP server that answers every connection with plain text, as a misconfigured proxy would.
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    std::thread plain([&listener] {
        for (int i = 0; i < 4; ++i) {
            if (!listener.poll(Poco::Timespan(5, 0), Poco::Net::Socket::SELECT_READ)) return;  // never hang the test
            try {
                Poco::Net::StreamSocket peer = listener.acceptConnection();
                const std::string reply = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
                peer.sendBytes(reply.data(), static_cast<int>(reply.size()));
                peer.shutdownSend();
            } catch (const Poco::Exception&) {
                // The client may have read the reply and hung up already (under load, before shutdownSend): an
                // exception escaping this thread used to terminate the whole test binary.
            }
        }
    });
    JoinOnExit joiner(plain);  // a failed assertion below must not leave a joinable thread (std::terminate)
    GraphClient client(settingsFor("https://127.0.0.1:" + std::to_string(listener.address().port()) + "/graph"),
                       nullptr);
    std::string what = expectThrow<RetriesExhaustedError>([&] { client.get("/me/chats", {}); });
    CHECK_THAT(what, Catch::Contains("4 attempts") && Catch::Contains("network error"));
    CHECK(client.requestCount() == 4);
}

TEST_CASE("The token goes only to api.base_url's origin", "[client][token]") {
    ScriptedServer api({ok("{}"), ok("{}"), ok("{}")});
    ScriptedServer cdn({ok("{}"), ok("{}"), ok("{}")});
    auto client = clientFor(api);
    const std::string apiPort = std::to_string(api.port());
    const std::string cdnPort = std::to_string(cdn.port());

    client->getUrl("http://127.0.0.1:" + apiPort + "/graph/me/chats?count=5", {{"marker", "m"}});
    client->getUrl("http://127.0.0.1:" + cdnPort + "/media/photo.jpg?sig=abc", {{"size", "big"}});  // other port
    client->getUrl("http://localhost:" + apiPort + "/graph/me/chats", {});  // other host name, same server
    client->get("/me/chats", {});
    HttpRequest media;  // the transport underneath, as a media downloader would use it
    media.origin = parseHttpUrl(cdn.baseUrl()).origin;
    media.target = "/media/video.mp4";
    CHECK(client->transport().send(media, Cancellation::never()).status == 200);

    const auto toApi = api.seen();
    REQUIRE(toApi.size() == 3);
    CHECK(toApi[0].uri == "/graph/me/chats?count=5&marker=m&access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D");
    CHECK(toApi[1].uri == "/graph/me/chats");  // localhost is not 127.0.0.1: no token
    CHECK(toApi[2].uri == "/graph/me/chats?access_token=tkn1SECRETz%3AAB%2FCD%2BEF%3D");
    const auto toCdn = cdn.seen();
    REQUIRE(toCdn.size() == 2);
    CHECK(toCdn[0].uri == "/media/photo.jpg?sig=abc&size=big");
    CHECK(toCdn[1].uri == "/media/video.mp4");
    for (const auto& seen : toCdn) CHECK(seen.uri.find("SECRET") == std::string::npos);
}

TEST_CASE("getUrl names a bad URL without the token", "[client][token]") {
    GraphClient client(settingsFor("http://127.0.0.1:1/graph"), nullptr);
    std::string what = expectThrow<ApiError>([&] { client.getUrl("ftp://cdn.example/" + kToken, {}); });
    CHECK_THAT(what, Catch::Contains("ftp://cdn.example/***") && Catch::Contains("https://"));
}

TEST_CASE("each retry is reported with its reason, one of retryReasons()", "[client]") {
    Scripted limited = status(429, "Too many");
    limited.headers = {{"Retry-After", "0"}};
    Scripted cut = ok(kPage.substr(0, 30));
    cut.declaredLength = kPage.size();
    Scripted html = ok("<html>busy</html>");
    html.contentType = "text/html";
    Scripted slow = ok("{}");
    slow.delay = 800ms;
    ScriptedServer server({status(503), limited, ok(R"({"error_code":8,"error_msg":"FLOOD_BLOCKED"})"), cut, html,
                           status(408), slow, ok(kPage)});
    auto settings = settingsFor(server.baseUrl());
    settings.retry.maxRetries = 7;
    settings.timeout = 300ms;
    GraphClient client(settings, nullptr);
    std::vector<std::string> reasons;
    client.setRetryObserver([&](const std::string& reason) { reasons.push_back(reason); });
    CHECK(client.get("/me/messages/chat:X", {}).root().find("messages"));
    CHECK(reasons == std::vector<std::string>{"http_5xx", "http_429", "api_error", "network", "invalid_body",
                                              "http_408", "timeout"});
    for (const auto& reason : reasons)
        CHECK(std::find(retryReasons().begin(), retryReasons().end(), reason) != retryReasons().end());
}

TEST_CASE("a request that is not retried reports no retry", "[client]") {
    ScriptedServer server({status(400, R"({"error_code":100,"error_msg":"bad count"})"), status(503)});
    auto client = clientFor(server);
    int retries = 0;
    client->setRetryObserver([&](const std::string&) { ++retries; });
    CHECK_THROWS_AS(client->get("/me/messages/chat:X", {}), ApiError);
    CHECK_THROWS_AS(client->post("/me/messages/chat:X", "{}"), ApiError);  // a 5xx POST may have been acted on
    CHECK(retries == 0);
}
