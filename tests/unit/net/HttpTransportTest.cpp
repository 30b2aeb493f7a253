#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "domain/Errors.h"
#include "net/HttpSession.h"
#include "net/HttpTransport.h"
#include "net/Url.h"
#include "support/SelfSignedTls.h"
#include "unit/api/ScriptedServer.h"
#include "unit/net/DribblingServer.h"

using namespace okarchive;
using namespace okarchive::test;
using namespace std::chrono_literals;

namespace {

HttpRequest get(const ScriptedServer& server, std::string target) {
    HttpRequest r;
    r.origin = parseHttpUrl(server.baseUrl()).origin;
    r.target = std::move(target);
    return r;
}

}  // namespace

TEST_CASE("parseHttpUrl splits origin, path and query", "[url]") {
    const auto url = parseHttpUrl("https://API.ok.ru/graph/me chats?a=1&b=%20");
    CHECK(url.origin.https);
    CHECK(url.origin.host == "api.ok.ru");  // Poco lower-cases it
    CHECK(url.origin.port == 443);
    CHECK(url.path == "/graph/me%20chats");
    CHECK(url.query == "a=1&b=%20");
    CHECK(url.origin.sameAs(parseHttpUrl("https://api.OK.ru:443/other").origin));
    CHECK_FALSE(url.origin.sameAs(parseHttpUrl("http://api.ok.ru:443/").origin));
    CHECK_FALSE(url.origin.sameAs(parseHttpUrl("https://api.ok.ru:8443/").origin));
    CHECK_FALSE(url.origin.sameAs(parseHttpUrl("https://cdn.ok.ru/").origin));
    CHECK_THROWS_AS(parseHttpUrl("ftp://example.com/"), UrlError);
    CHECK_THROWS_AS(parseHttpUrl("http:///nohost"), UrlError);
}

TEST_CASE("The transport sends exactly the request and returns any status as an answer", "[transport]") {
    Scripted unavailable = status(503, "down");
    unavailable.headers = {{"Retry-After", "7"}};
    ScriptedServer server({unavailable, ok("{\"a\":1}")});
    HttpTransport transport(HttpSettings{});
    const auto first = transport.send(get(server, "/x?q=1"), Cancellation::never());
    CHECK(first.status == 503);
    CHECK(first.body == "down");
    REQUIRE(first.header("retry-after"));
    CHECK(*first.header("retry-after") == "7");
    CHECK_FALSE(first.header("X-Missing"));
    HttpRequest post = get(server, "/y");
    post.method = "POST";
    post.body = "{}";
    post.contentType = "application/json";
    const auto second = transport.send(post, Cancellation::never());
    CHECK(second.status == 200);
    CHECK(second.body == "{\"a\":1}");
    const auto seen = server.seen();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].uri == "/x?q=1");  // nothing added: the transport knows no token
    CHECK(seen[1].method == "POST");
    CHECK(seen[1].body == "{}");
    CHECK(seen[0].clientPort == seen[1].clientPort);  // one keep-alive connection
}

TEST_CASE("A fresh-connection request does not reuse the kept-alive one", "[transport]") {
    ScriptedServer server({ok("{}"), ok("{}")});
    HttpTransport transport(HttpSettings{});
    transport.send(get(server, "/a"), Cancellation::never());
    auto fresh = get(server, "/b");
    fresh.freshConnection = true;
    transport.send(fresh, Cancellation::never());
    const auto seen = server.seen();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].clientPort != seen[1].clientPort);
}

TEST_CASE("The size cap and a truncated body are transport errors", "[transport]") {
    Scripted cut = ok(std::string(30, 'x'));
    cut.declaredLength = 100;
    ScriptedServer server({ok(std::string(2000, 'x')), cut});
    HttpSettings settings;
    settings.maxResponseBytes = 1000;
    HttpTransport transport(settings);
    try {
        transport.send(get(server, "/big"), Cancellation::never());
        FAIL("no exception");
    } catch (const TransportError& e) {
        CHECK_FALSE(e.retryable());
        CHECK(e.httpStatus() == 200);
        CHECK_THAT(std::string(e.what()), Catch::Contains("1000 bytes"));
    }
    try {
        transport.send(get(server, "/cut"), Cancellation::never());
        FAIL("no exception");
    } catch (const TransportError& e) {
        CHECK(e.retryable());
        CHECK(e.maybeProcessed());
        CHECK_THAT(std::string(e.what()), Catch::Contains("30 of 100 bytes"));
    }
}

TEST_CASE("Connection refused is retryable and certainly not processed", "[transport]") {
    std::uint16_t port;
    {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = socket.address().port();
    }
    HttpTransport transport(HttpSettings{});
    HttpRequest r;
    r.origin = parseHttpUrl("http://127.0.0.1:" + std::to_string(port)).origin;
    try {
        transport.send(r, Cancellation::never());
        FAIL("no exception");
    } catch (const TransportError& e) {
        CHECK(e.retryable());
        CHECK_FALSE(e.maybeProcessed());
        CHECK_THAT(std::string(e.what()), Catch::Contains("connection refused by 127.0.0.1"));
    }
}

TEST_CASE("Cancel ends a blocked read at once", "[transport][cancel]") {
    Scripted hanging = ok("{}");
    hanging.delay = 30s;
    ScriptedServer server({hanging});
    HttpTransport transport(HttpSettings{});
    Cancellation cancel;
    bool cancelled = false;
    std::thread worker([&] {
        try {
            transport.send(get(server, "/slow"), cancel);
        } catch (const Cancelled&) {
            cancelled = true;
        } catch (...) {}
    });
    const bool arrived = server.waitForRequests(1);  // no REQUIRE before the join: never leave a joinable thread
    const auto at = std::chrono::steady_clock::now();
    cancel.cancel();
    worker.join();
    REQUIRE(arrived);
    CHECK(std::chrono::steady_clock::now() - at < 5s);  // the answer would have come after 30 s
    CHECK(cancelled);
    CHECK_THROWS_AS(transport.send(get(server, "/after"), cancel), Cancelled);
}

TEST_CASE("Cancelling a POST whose body the server does not read throws Cancelled and does not kill by SIGPIPE",
          "[transport][cancel]") {
    ignoreBrokenPipes();  // as main() does: without it the shut socket's next write ends this process
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    Cancellation cancel;
    std::promise<void> done;
    std::thread server([&, finished = done.get_future()] {
        Poco::Net::StreamSocket peer = listener.acceptConnection();  // and never reads: the client's write blocks
        cancel.cancel();
        finished.wait_for(30s);
    });
    HttpRequest post;
    post.method = "POST";
    post.origin = parseHttpUrl("http://127.0.0.1:" + std::to_string(listener.address().port())).origin;
    post.target = "/slow-reader";
    post.body = std::string(64u << 20, 'x');  // far more than the socket buffers hold
    post.contentType = "text/plain";
    post.freshConnection = true;
    HttpTransport transport(HttpSettings{});
    bool cancelled = false;
    try {
        transport.send(post, cancel);
    } catch (const Cancelled&) {
        cancelled = true;
    } catch (...) {}
    done.set_value();
    server.join();
    CHECK(cancelled);
}

TEST_CASE("SocketAbort tells whether it shut the armed socket, so the session is not kept alive",
          "[transport][cancel]") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    SocketAbort abort;
    abort.arm(fds[0]);
    CHECK_FALSE(abort.disarm());  // nothing fired: the connection may be reused

    abort.arm(fds[0]);
    abort.abort();  // e.g. right after the whole answer was read
    CHECK(abort.disarm());
    char byte = 0;
    CHECK(::recv(fds[0], &byte, 1, MSG_DONTWAIT) == 0);  // shut: reads end at once

    abort.abort();  // after disarm: the socket is left alone
    abort.rearm();
    abort.arm(fds[1]);
    CHECK_FALSE(abort.disarm());
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST_CASE("SocketAbort never shuts a socket that took over the armed descriptor's number", "[transport][cancel]") {
    // Poco closes its socket on some errors before the session disarms: a cancel or deadline firing then must not
    // shut whatever socket the process opened next under the same (lowest free) descriptor number.
    int first[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, first) == 0);
    SocketAbort abort;
    abort.arm(first[0]);
    ::close(first[0]);  // as Poco does inside receiveResponse on an error
    int second[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, second) == 0);
    REQUIRE(second[0] == first[0]);  // the number was reused
    abort.abort();
    CHECK(::send(second[0], "x", 1, MSG_NOSIGNAL) == 1);  // the newcomer is untouched
    char byte = 0;
    CHECK(::recv(first[1], &byte, 1, MSG_DONTWAIT) == 0);  // and the armed socket itself was shut (EOF, not EAGAIN)
    abort.disarm();
    for (int fd : {first[1], second[0], second[1]}) ::close(fd);
}

TEST_CASE("A server that dribbles its answer is cut off at the request's total deadline", "[transport][deadline]") {
    ignoreBrokenPipes();
    // 100 bytes at one per 100 ms: every read gets a byte well within the timeout, the whole answer needs ~10 s.
    DribblingServer server("{\"a\":\"" + std::string(92, 'x') + "\"}", 100ms);
    HttpSettings settings;
    settings.timeout = 1000ms;
    HttpTransport transport(settings);
    HttpRequest r;
    r.origin = parseHttpUrl(server.baseUrl()).origin;
    r.target = "/dribble";
    const auto start = std::chrono::steady_clock::now();
    try {
        transport.send(r, Cancellation::never());
        FAIL("the dribbled answer was accepted");
    } catch (const TransportError& e) {
        CHECK(e.retryable());
        CHECK(e.maybeProcessed());
        CHECK_THAT(std::string(e.what()), Catch::Contains("127.0.0.1") && Catch::Contains("1000 ms"));
    }
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= 900ms);
    CHECK(took < 3s);  // the answer would have taken 10 s
}

TEST_CASE("A server that dribbles its TLS handshake is cut off at the request's total deadline",
          "[transport][deadline]") {
    ignoreBrokenPipes();
    // A TLS record header announcing a 16 KiB handshake record, then its bytes at one per 100 ms: every read of the
    // handshake gets a byte well within the timeout. The server gives up after ~5 s (a bug would wait that long).
    DribblingServer server(std::string("\x16\x03\x03\x40\x00", 5) + std::string(45, '\0'), 100ms,
                           DribblingServer::Framing::raw);
    HttpSettings settings;
    settings.timeout = 1000ms;
    HttpTransport transport(settings);
    HttpRequest r;
    r.origin = parseHttpUrl("https://127.0.0.1:" + std::to_string(server.port()) + "/").origin;
    const auto start = std::chrono::steady_clock::now();
    try {
        transport.send(r, Cancellation::never());
        FAIL("the dribbled handshake was accepted");
    } catch (const TransportError& e) {
        CHECK(e.retryable());
        CHECK_THAT(std::string(e.what()), Catch::Contains("127.0.0.1") && Catch::Contains("1000 ms"));
    }
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= 900ms);
    CHECK(took < 3s);
}

TEST_CASE("A request's deadline leaves it cancellable", "[transport][deadline][cancel]") {
    ignoreBrokenPipes();
    DribblingServer server(std::string(1000, ' ') + "{}", 100ms);
    HttpSettings settings;
    settings.timeout = 60000ms;
    HttpTransport transport(settings);
    HttpRequest r;
    r.origin = parseHttpUrl(server.baseUrl()).origin;
    Cancellation cancel;
    bool cancelled = false;
    const auto start = std::chrono::steady_clock::now();
    std::thread worker([&] {
        try {
            transport.send(r, cancel);
        } catch (const Cancelled&) {
            cancelled = true;
        } catch (...) {}
    });
    while (server.connections() == 0 && std::chrono::steady_clock::now() - start < 10s) std::this_thread::yield();
    cancel.cancel();
    worker.join();
    CHECK(cancelled);
    CHECK(std::chrono::steady_clock::now() - start < 10s);  // neither the 100 s body nor the 60 s deadline
}

TEST_CASE("A certificate no system CA vouches for is a transport error a retry cannot cure", "[transport][tls]") {
    SelfSignedTls server;
    HttpTransport transport(HttpSettings{});
    HttpRequest request;
    request.origin = parseHttpUrl("https://127.0.0.1:" + std::to_string(server.port()) + "/").origin;
    try {
        transport.send(request, Cancellation::never());
        FAIL("the self-signed certificate was accepted");
    } catch (const TransportError& e) {
        CHECK_FALSE(e.retryable());
        CHECK_THAT(e.what(), Catch::Contains("the TLS certificate of 127.0.0.1 was rejected"));
    }
    CHECK(server.requests() == 0);
}
