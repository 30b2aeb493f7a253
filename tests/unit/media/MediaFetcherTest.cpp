#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <fstream>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "domain/Errors.h"
#include "media/MediaFetcher.h"
#include "media/MediaStore.h"
#include "media/Sha256.h"
#include "support/LoopbackServer.h"
#include "support/ManualEnv.h"
#include "support/SelfSignedTls.h"
#include "unit/media/MediaServer.h"
#include "unit/media/MediaTestDir.h"

using namespace okarchive;
using namespace okarchive::test;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

const std::string kPng =
    "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"s + std::string(200, '\x7f');

MediaConfig testConfig(bool allowPrivate = true) {
    MediaConfig config;
    config.allowPrivateAddresses = allowPrivate;
    config.requestsPerSecond = 0;
    config.maxBytes = 1 << 20;
    config.timeout = 60s;
    config.stallTimeout = 20s;
    return config;
}

/// Made-up names mapped to addresses, counting every resolution.
struct FakeDns {
    std::map<std::string, std::vector<std::vector<std::string>>> answers;  // one answer per call, the last repeated
    std::map<std::string, int> calls;
    std::mutex mutex;

    HostResolver resolver() {
        return [this](const std::string& host) {
            std::lock_guard lock(mutex);
            const int call = calls[host]++;
            const auto found = answers.find(host);
            if (found == answers.end()) throw Error("cannot resolve the host " + host);
            return found->second[std::min<std::size_t>(static_cast<std::size_t>(call), found->second.size() - 1)];
        };
    }
};

/// A store in a fresh directory and a fetcher over it.
struct Rig {
    explicit Rig(MediaConfig config = testConfig(), Env& env = Env::system())
        : store(dir.store()), fetcher(config, store, env, dns.resolver()) {}
    FetchedMedia fetch(const std::string& url, const std::string& type = "IMAGE") {
        return fetcher.fetch(url, type, Cancellation::never());
    }
    std::vector<std::string> files() const { return MediaTestDir::filesUnder(store.directory()); }

    MediaTestDir dir;
    FakeDns dns;
    MediaStore store;
    MediaFetcher fetcher;
};

Reply body(std::string content) {
    Reply reply;
    reply.body = std::move(content);
    return reply;
}

Reply status(int code) {
    Reply reply;
    reply.status = code;
    reply.body = "<html><body>error " + std::to_string(code) + "</body></html>";
    return reply;
}

Reply redirect(const std::string& location, int code = 302) {
    Reply reply;
    reply.status = code;
    reply.headers = {{"Location", location}};
    return reply;
}

}  // namespace

TEST_CASE("A download is saved under the SHA-256 of the bytes served, with its sniffed type", "[fetch]") {
    MediaServer server;
    server.route("/i/1.png", body(kPng));
    Rig rig;
    const auto got = rig.fetch(server.url("/i/1.png?expires=99&sig=00ff"));
    CHECK(got.outcome.state == MediaState::Saved);
    CHECK(got.outcome.sha256 == sha256Hex(kPng));
    CHECK(got.outcome.bytes == static_cast<std::int64_t>(kPng.size()));
    CHECK(got.outcome.mime == "image/png");
    CHECK(got.outcome.httpStatus == 200);
    CHECK(got.outcome.error.empty());
    CHECK(got.outcome.atMs > 0);
    CHECK_FALSE(got.linkRefused);
    CHECK(rig.files() == std::vector<std::string>{mediaStorePath(sha256Hex(kPng))});
    std::ifstream in(rig.store.pathOf(got.outcome.sha256), std::ios::binary);
    CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == kPng);
    REQUIRE(server.seen().size() == 1);
    CHECK(server.seen()[0].target == "/i/1.png?expires=99&sig=00ff");  // the signed link, exactly
}

TEST_CASE("The same content behind two links is stored once", "[fetch]") {
    MediaServer server;
    server.route("/a.png", body(kPng));
    server.route("/b.png", body(kPng));
    Rig rig;
    CHECK(rig.fetch(server.url("/a.png")).outcome.state == MediaState::Saved);
    CHECK(rig.fetch(server.url("/b.png")).outcome.state == MediaState::Saved);
    CHECK(rig.files().size() == 1);
}

TEST_CASE("Each HTTP status lands in its class, naming host and path but never the query", "[fetch]") {
    struct Row {
        int status;
        MediaState state;
        bool linkRefused;
    };
    const Row rows[] = {
        {403, MediaState::FailedPermanent, true},  {404, MediaState::FailedPermanent, true},
        {410, MediaState::FailedPermanent, true},  {408, MediaState::FailedTransient, false},
        {429, MediaState::FailedTransient, false}, {500, MediaState::FailedTransient, false},
        {503, MediaState::FailedTransient, false}, {400, MediaState::FailedPermanent, false},
        {401, MediaState::FailedPermanent, false}, {451, MediaState::FailedPermanent, false},
    };
    MediaServer server;
    Rig rig;
    for (const auto& row : rows) {
        INFO(row.status);
        server.route("/s/" + std::to_string(row.status), status(row.status));
        const auto got = rig.fetch(server.url("/s/" + std::to_string(row.status) + "?sig=SECRETSIG&expires=1"));
        CHECK(got.outcome.state == row.state);
        CHECK(got.linkRefused == row.linkRefused);
        CHECK(got.outcome.httpStatus == row.status);
        CHECK_THAT(got.outcome.error, Catch::Contains("HTTP " + std::to_string(row.status)) &&
                                          Catch::Contains("127.0.0.1") && Catch::Contains("/s/"));
        CHECK_THAT(got.outcome.error, !Catch::Contains("SECRETSIG"));
    }
    CHECK(rig.files().empty());
}

TEST_CASE("A body shorter than its Content-Length, a reset and an empty body are transient", "[fetch]") {
    MediaServer server;
    Reply shortBody = body(kPng);
    shortBody.contentLength = 5000;
    server.route("/short", shortBody);
    Reply reset = body(kPng);
    reset.stallAfter = 100;
    reset.resetAfterStall = true;
    server.route("/reset", reset);
    Reply empty = body("");
    empty.announceLength = false;
    server.route("/empty", empty);
    Rig rig;
    const auto cut = rig.fetch(server.url("/short"));
    CHECK(cut.outcome.state == MediaState::FailedTransient);
    CHECK_THAT(cut.outcome.error, Catch::Contains("short body: " + std::to_string(kPng.size()) + " of the 5000 bytes"));
    CHECK(rig.fetch(server.url("/reset")).outcome.state == MediaState::FailedTransient);
    const auto none = rig.fetch(server.url("/empty"));
    CHECK(none.outcome.state == MediaState::FailedTransient);
    CHECK_THAT(none.outcome.error, Catch::Contains("empty body"));
    CHECK(rig.files().empty());
}

TEST_CASE("Content-Length: 0 is an empty file, which only a FILE may be", "[fetch]") {
    MediaServer server;
    server.route("/zero", body(""));
    Rig rig;
    const auto file = rig.fetch(server.url("/zero"), "FILE");
    CHECK(file.outcome.state == MediaState::Saved);
    CHECK(file.outcome.bytes == 0);
    CHECK(file.outcome.sha256 == sha256Hex(""));
    CHECK(rig.fetch(server.url("/zero"), "IMAGE").outcome.state == MediaState::FailedPermanent);
}

TEST_CASE("An HTML page served with 200 for an image is a permanent failure, for a file it is the file", "[fetch]") {
    MediaServer server;
    Reply page = body("<!DOCTYPE html><html><body>Sign in to view</body></html>");
    page.headers = {{"Content-Type", "image/jpeg"}};  // the server's claim counts for nothing
    server.route("/page", page);
    Rig rig;
    const auto image = rig.fetch(server.url("/page"), "IMAGE");
    CHECK(image.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(image.outcome.error, Catch::StartsWith("content is an HTML page, not an image"));
    CHECK(rig.files().empty());
    const auto file = rig.fetch(server.url("/page"), "FILE");
    CHECK(file.outcome.state == MediaState::Saved);
    CHECK(file.outcome.mime == "text/html");
}

TEST_CASE("A Content-Length over media.max_bytes is skipped by policy without reading the body", "[fetch]") {
    MediaServer server;
    Reply huge = body(std::string(65536, 'z'));
    huge.repeat = 160;  // 10 MiB: ten times the cap
    server.route("/huge", huge);
    Rig rig;
    const auto got = rig.fetch(server.url("/huge"), "FILE");
    CHECK(got.outcome.state == MediaState::SkippedPolicy);
    CHECK(got.outcome.bytes == 160 * 65536);
    CHECK_THAT(got.outcome.error, Catch::Contains("media.max_bytes"));
    CHECK(rig.files().empty());
    REQUIRE(server.waitAnswered(1));
    CHECK(server.bytesWritten() < 160 * 65536);
}

TEST_CASE("An unannounced body over media.max_bytes is cut while streaming", "[fetch]") {
    MediaServer server;
    Reply endless = body(std::string(65536, 'z'));
    endless.repeat = 160;  // 10 MiB, no Content-Length
    endless.announceLength = false;
    server.route("/endless", endless);
    Rig rig;
    const auto got = rig.fetch(server.url("/endless"), "FILE");
    CHECK(got.outcome.state == MediaState::SkippedPolicy);
    CHECK_FALSE(got.outcome.bytes);
    CHECK(rig.files().empty());  // neither a file nor its temporary
    REQUIRE(server.waitAnswered(1));
    INFO("the server wrote " << server.bytesWritten() << " bytes");
    CHECK(server.bytesWritten() < 160 * 65536);  // the client stopped reading: the server could not send it all
}

TEST_CASE("A stall longer than media.stall_timeout_ms is a transient failure that leaves no file", "[fetch]") {
    MediaServer server;
    Reply stall = body(kPng);
    stall.stallAfter = 100;
    server.route("/stall", stall);
    MediaConfig config = testConfig();
    config.stallTimeout = 300ms;
    Rig rig(config);
    const auto start = std::chrono::steady_clock::now();
    const auto got = rig.fetch(server.url("/stall"));
    CHECK(std::chrono::steady_clock::now() - start < 30s);  // bound only a bug hits: the whole timeout is 60 s
    CHECK(got.outcome.state == MediaState::FailedTransient);
    CHECK_THAT(got.outcome.error, Catch::Contains("stalled") && Catch::Contains("300 ms"));
    CHECK(rig.files().empty());
}

TEST_CASE("A body dribbled within the stall timeout still ends at the whole-file timeout", "[fetch]") {
    MediaServer server;
    Reply dribble = body(kPng);
    dribble.dribble = 20ms;  // 226 bytes: over 4 s, each byte in time
    server.route("/dribble", dribble);
    MediaConfig config = testConfig();
    config.timeout = 400ms;
    config.stallTimeout = 10s;
    Rig rig(config);
    const auto start = std::chrono::steady_clock::now();
    const auto got = rig.fetch(server.url("/dribble"));
    CHECK(std::chrono::steady_clock::now() - start < 4s);
    CHECK(got.outcome.state == MediaState::FailedTransient);
    CHECK_THAT(got.outcome.error, Catch::Contains("timeout") && Catch::Contains("400 ms"));
    CHECK(rig.files().empty());
}

TEST_CASE("Cancelling a download in flight throws Cancelled at once and leaves no file", "[fetch]") {
    MediaServer server;
    Cancellation cancel;
    Reply stall = body(kPng);
    stall.stallAfter = 50;
    stall.onStall = [&cancel] { cancel.cancel(); };
    server.route("/stall", stall);
    Rig rig;
    CHECK_THROWS_AS(rig.fetcher.fetch(server.url("/stall"), "IMAGE", cancel), Cancelled);
    CHECK(rig.files().empty());
    CHECK_THROWS_AS(rig.fetcher.fetch(server.url("/stall"), "IMAGE", cancel), Cancelled);
    CHECK(server.connections() == 1);  // cancelled before: no connection
}

TEST_CASE("Up to 5 redirects are followed, a sixth is refused without requesting it", "[fetch]") {
    MediaServer server;
    for (int i = 0; i < 6; ++i)
        server.route("/r" + std::to_string(i), redirect("/r" + std::to_string(i + 1), 301 + i % 2));
    server.route("/r5", body(kPng));
    server.route("/r6", redirect("/r7"));
    server.route("/r7", body(kPng));
    Rig rig;
    const auto five = rig.fetch(server.url("/r0"));
    CHECK(five.outcome.state == MediaState::Saved);
    CHECK(server.seen().size() == 6);
    server.route("/r5", redirect("/r6", 307));
    const auto six = rig.fetch(server.url("/r0"));
    CHECK(six.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(six.outcome.error, Catch::Contains("more than 5 redirects"));
    CHECK(server.seen().size() == 12);
    CHECK(server.seen().back().target == "/r5");  // /r6 never requested
}

TEST_CASE("A redirect to a forbidden address is refused without connecting to it", "[fetch]") {
    MediaServer server;
    MediaServer metadata("127.0.0.3");  // where the made-up name also points: it must never see a connection
    Rig rig;
    rig.dns.answers["meta.test"] = {{"127.0.0.3", "169.254.169.254"}};
    server.route("/to-name", redirect(metadata.url("/latest/meta-data/", "meta.test")));
    server.route("/to-metadata", redirect("http://169.254.169.254/latest/meta-data/"));
    const auto named = rig.fetch(server.url("/to-name"));
    CHECK(named.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(named.outcome.error, Catch::Contains("refused a redirect without connecting") &&
                                        Catch::Contains("meta.test resolves to 169.254.169.254, a link-local address"));
    CHECK(metadata.connections() == 0);
    const auto direct = rig.fetch(server.url("/to-metadata"));
    CHECK(direct.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(direct.outcome.error, Catch::Contains("169.254.169.254 is a link-local address"));
}

TEST_CASE("Without allow_private_addresses loopback is refused without connecting", "[fetch]") {
    MediaServer server("127.0.0.2");
    server.route("/x.png", body(kPng));
    Rig rig(testConfig(false));
    rig.dns.answers["cdn.test"] = {{"127.0.0.2"}};
    const auto named = rig.fetch(server.url("/x.png", "cdn.test"));
    CHECK(named.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(named.outcome.error, Catch::Contains("cdn.test resolves to 127.0.0.2, a loopback address"));
    const auto numeric = rig.fetch(server.url("/x.png"));
    CHECK(numeric.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(numeric.outcome.error, Catch::Contains("127.0.0.2 is a loopback address"));
    CHECK(server.connections() == 0);
    CHECK(rig.files().empty());
}

TEST_CASE("A host is resolved once and the checked address is the one connected to", "[fetch]") {
    MediaServer first("127.0.0.1");
    MediaServer rebound("127.0.0.4");
    first.route("/x.png", body(kPng));
    rebound.route("/x.png", body(kPng));
    Rig rig;
    // A rebinding name: a second resolution would point elsewhere (and the fetcher must not make one).
    rig.dns.answers["cdn.test"] = {{"127.0.0.1"}, {"127.0.0.4"}};
    const std::string url = "http://cdn.test:" + std::to_string(first.port()) + "/x.png";
    CHECK(rig.fetch(url).outcome.state == MediaState::Saved);
    CHECK(rig.dns.calls["cdn.test"] == 1);
    CHECK(first.connections() == 1);
    CHECK(rebound.connections() == 0);
}

TEST_CASE("A media request carries no Authorization, Cookie or proxy, and the name as Host", "[fetch]") {
    MediaServer server;
    MediaServer proxy;
    server.route("/x.png", body(kPng));
    ::setenv("http_proxy", proxy.url("/").c_str(), 1);
    ::setenv("HTTP_PROXY", proxy.url("/").c_str(), 1);
    Rig rig;
    rig.dns.answers["cdn.test"] = {{"127.0.0.1"}};
    const auto got = rig.fetch("http://cdn.test:" + std::to_string(server.port()) + "/x.png?sig=1");
    ::unsetenv("http_proxy");
    ::unsetenv("HTTP_PROXY");
    CHECK(got.outcome.state == MediaState::Saved);
    CHECK(proxy.connections() == 0);
    REQUIRE(server.seen().size() == 1);
    const SeenRequest request = server.seen()[0];
    CHECK_THAT(request.head, Catch::Contains("\r\nHost: cdn.test:" + std::to_string(server.port()) + "\r\n"));
    for (const char* header : {"Authorization", "Cookie", "Proxy-Authorization", "Referer"}) {
        INFO(header);
        CHECK_FALSE(request.hasHeader(header));
    }
}

TEST_CASE("Links that are not http(s) are refused without any request", "[fetch]") {
    MediaServer server;
    Rig rig;
    for (const char* link :
         {"javascript:alert(1)", "data:image/png;base64,AAAA", "ftp://127.0.0.1/x.png", "file:///etc/passwd", ""}) {
        INFO(link);
        const auto got = rig.fetch(link);
        CHECK(got.outcome.state == MediaState::FailedPermanent);
        CHECK_THAT(got.outcome.error, Catch::Contains("not an http(s) URL"));
    }
    server.route("/to-file", redirect("file:///etc/passwd"));
    const auto redirected = rig.fetch(server.url("/to-file"));
    CHECK(redirected.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(redirected.outcome.error, Catch::Contains("not http(s)"));
}

TEST_CASE("Downloads wait for media.requests_per_second on the Env", "[fetch]") {
    MediaServer server;
    server.route("/x.png", body(kPng));
    ManualEnv env;
    MediaConfig config = testConfig();
    config.requestsPerSecond = 2;
    Rig rig(config, env);
    for (int i = 0; i < 3; ++i) CHECK(rig.fetch(server.url("/x.png")).outcome.state == MediaState::Saved);
    const auto sleeps = env.sleeps();
    REQUIRE(sleeps.size() == 3);
    CHECK(sleeps[0] == 0ms);
    CHECK(sleeps[1] == 500ms);
    CHECK(sleeps[2] == 500ms);
}

namespace {

/// A TCP listener that keeps what a client sends before it hangs up (a TLS ClientHello), then closes.
class FirstBytes {
public:
    int port() const { return _server.port(); }
    std::string bytes() {
        std::lock_guard lock(_mutex);
        return _bytes;
    }

private:
    void keep(Poco::Net::StreamSocket& peer, const Cancellation& stop) {
        char buffer[4096];
        // A ClientHello record: 5 bytes of header, then its length; all of it or whatever came within 5 s.
        const auto until = std::chrono::steady_clock::now() + 5s;
        while (!stop.cancelled() && std::chrono::steady_clock::now() < until && !complete()) {
            if (!peer.poll(Poco::Timespan(20000), Poco::Net::Socket::SELECT_READ)) continue;
            const int n = peer.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) return;
            std::lock_guard lock(_mutex);
            _bytes.append(buffer, static_cast<std::size_t>(n));
        }
    }
    bool complete() {
        std::lock_guard lock(_mutex);
        if (_bytes.size() < 5) return false;
        const std::size_t length = (static_cast<unsigned char>(_bytes[3]) << 8) | static_cast<unsigned char>(_bytes[4]);
        return _bytes.size() >= 5 + length;
    }

    std::mutex _mutex;
    std::string _bytes;
    LoopbackServer _server{[this](Poco::Net::StreamSocket& peer, const Cancellation& stop) { keep(peer, stop); }};
};

}  // namespace

TEST_CASE("HTTPS goes to the checked address with the link's name as the TLS server name", "[fetch]") {
    FirstBytes tls;
    Rig rig;
    rig.dns.answers["media.example.test"] = {{"127.0.0.1"}};
    const auto got = rig.fetch("https://media.example.test:" + std::to_string(tls.port()) + "/x.png?sig=1");
    CHECK(got.outcome.state == MediaState::FailedTransient);  // the listener speaks no TLS: the handshake fails
    CHECK_THAT(got.outcome.error, Catch::Contains("media.example.test"));
    const std::string hello = tls.bytes();
    REQUIRE(hello.size() > 5);
    CHECK(hello[0] == '\x16');                                     // a TLS handshake record
    CHECK(hello.find("media.example.test") != std::string::npos);  // SNI: the name, not 127.0.0.1
    CHECK(hello.find("sig=1") == std::string::npos);               // nothing of the request in the clear
}

TEST_CASE("One fetcher serves several workers at once, each file whole", "[fetch]") {
    MediaServer server;
    for (int i = 0; i < 20; ++i) server.route("/c" + std::to_string(i), body(kPng + std::to_string(i)));
    Rig rig;
    std::vector<std::thread> workers;
    std::atomic<int> saved{0};
    for (int w = 0; w < 4; ++w)
        workers.emplace_back([&, w] {
            for (int i = w; i < 20; i += 4)
                if (rig.fetch(server.url("/c" + std::to_string(i))).outcome.sha256 ==
                    sha256Hex(kPng + std::to_string(i)))
                    ++saved;
        });
    for (auto& worker : workers) worker.join();
    CHECK(saved == 20);
    CHECK(rig.files().size() == 20);  // and no temporary file
}

TEST_CASE("HTTPS at a pinned address still verifies the certificate: an untrusted one is refused", "[fetch]") {
    SelfSignedTls tls;
    Rig rig;
    rig.dns.answers["media.example.test"] = {{"127.0.0.1"}};
    const auto got = rig.fetch("https://media.example.test:" + std::to_string(tls.port()) + "/x.png");
    CHECK(got.outcome.state == MediaState::FailedPermanent);  // retrying cannot make it trusted
    CHECK_THAT(got.outcome.error, Catch::Contains("the TLS certificate of media.example.test was rejected"));
    CHECK(tls.connections() == 1);
    CHECK(tls.requests() == 0);  // the request never left the client
    CHECK(rig.files().empty());
}

TEST_CASE("A body longer than its Content-Length is not trusted", "[fetch]") {
    MediaServer server;
    Reply liar = body(kPng);
    liar.contentLength = 100;  // the whole image follows, in the same write
    server.route("/liar", liar);
    Rig rig;
    const auto got = rig.fetch(server.url("/liar"));
    CHECK(got.outcome.state == MediaState::FailedTransient);
    CHECK_THAT(got.outcome.error, Catch::Contains("more than the 100 bytes its Content-Length announced"));
    CHECK(rig.files().empty());
}

TEST_CASE("An HTML page for an image is not read past its first bytes", "[fetch]") {
    MediaServer server;
    Reply page = body("<!DOCTYPE html><html><body>" + std::string(65536, 'x'));
    page.repeat = 128;  // 8 MiB, under the cap
    server.route("/page", page);
    MediaConfig config = testConfig();
    config.maxBytes = 64 << 20;
    Rig rig(config);
    const auto got = rig.fetch(server.url("/page"));
    CHECK(got.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(got.outcome.error, Catch::StartsWith("content is an HTML page, not an image"));
    REQUIRE(server.waitAnswered(1));
    CHECK(server.bytesWritten() < 128 * 65536);
    CHECK(rig.files().empty());
}

namespace {

/// An answer whose body is `raw` exactly as written (chunked framing by hand), ended by closing the connection.
Reply chunked(std::string raw) {
    Reply reply = body(std::move(raw));
    reply.headers = {{"Transfer-Encoding", "chunked"}};
    reply.announceLength = false;
    return reply;
}

std::string hexSize(std::size_t size) { return fmt::format("{:x}", size); }

}  // namespace

TEST_CASE("A chunked body is saved whole, and one cut mid-chunk is a short body, not a file", "[fetch][chunked]") {
    MediaServer server;
    const std::string head = kPng.substr(0, 100), tail = kPng.substr(100);
    server.route("/whole", chunked(hexSize(head.size()) + ";name=value\r\n" + head + "\r\n" + hexSize(tail.size()) +
                                   "\r\n" + tail + "\r\n0\r\n\r\n"));
    server.route("/cut", chunked(hexSize(kPng.size()) + "\r\n" + head));  // then the connection closes
    server.route("/no-last", chunked(hexSize(kPng.size()) + "\r\n" + kPng + "\r\n"));
    Rig rig;
    const auto whole = rig.fetch(server.url("/whole"));
    CHECK(whole.outcome.state == MediaState::Saved);
    CHECK(whole.outcome.sha256 == sha256Hex(kPng));
    for (const char* path : {"/cut", "/no-last"}) {
        const auto got = rig.fetch(server.url(path));
        CHECK(got.outcome.state == MediaState::FailedTransient);
        CHECK_THAT(got.outcome.error, Catch::Contains("ended before its last chunk") && Catch::Contains(path));
    }
    CHECK(rig.files() == std::vector<std::string>{mediaStorePath(sha256Hex(kPng))});  // the whole one only
}

TEST_CASE("A malformed chunk size is a permanent failure, not garbage", "[fetch][chunked]") {
    const std::string size = GENERATE(as<std::string>{}, "zz", "-5", "0x10", "", "1000000000000000000", " ");
    MediaServer server;
    server.route("/bad", chunked(size + "\r\n" + kPng + "\r\n0\r\n\r\n"));
    Rig rig;
    const auto got = rig.fetch(server.url("/bad"), "FILE");
    CHECK(got.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(got.outcome.error, Catch::Contains("malformed chunked body from 127.0.0.1: chunk size"));
    CHECK(rig.files().empty());
}

TEST_CASE("A chunk longer than its size is a permanent failure", "[fetch][chunked]") {
    MediaServer server;
    server.route("/long", chunked("5\r\nabcdefgh\r\n0\r\n\r\n"));
    Rig rig;
    const auto got = rig.fetch(server.url("/long"), "FILE");
    CHECK(got.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(got.outcome.error, Catch::Contains("a chunk is longer than its size"));
    CHECK(rig.files().empty());
}

TEST_CASE("Conflicting Content-Length headers are refused, equal ones accepted", "[fetch][framing]") {
    MediaServer server;
    Reply conflicting = body(kPng);
    conflicting.headers = {{"Content-Length", "100"}};  // and the true length after it
    server.route("/two", conflicting);
    Reply equal = body(kPng);
    equal.headers = {{"Content-Length", std::to_string(kPng.size()) + ", " + std::to_string(kPng.size())}};
    server.route("/same", equal);
    Rig rig;
    const auto two = rig.fetch(server.url("/two"));
    CHECK(two.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(two.outcome.error, Catch::Contains("conflicting Content-Length headers (100 and"));
    CHECK(rig.fetch(server.url("/same")).outcome.state == MediaState::Saved);
}

TEST_CASE("Transfer-Encoding chunked overrides a Content-Length (RFC 9112 6.3)", "[fetch][framing]") {
    MediaServer server;
    Reply both = chunked(hexSize(kPng.size()) + "\r\n" + kPng + "\r\n0\r\n\r\n");
    both.announceLength = true;
    both.contentLength = 5;
    server.route("/both", both);
    Reply gzip = chunked(hexSize(kPng.size()) + "\r\n" + kPng + "\r\n0\r\n\r\n");
    gzip.headers = {{"Transfer-Encoding", "gzip, chunked"}};
    server.route("/gzip", gzip);
    Rig rig;
    const auto got = rig.fetch(server.url("/both"));
    CHECK(got.outcome.state == MediaState::Saved);
    CHECK(got.outcome.sha256 == sha256Hex(kPng));
    const auto coded = rig.fetch(server.url("/gzip"));
    CHECK(coded.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(coded.outcome.error, Catch::Contains("unsupported Transfer-Encoding"));
}

TEST_CASE("A Content-Length that is no number of bytes is named", "[fetch][framing]") {
    const std::string length = GENERATE(as<std::string>{}, "-1", "abc", "", "12a", "99999999999999999999");
    MediaServer server;
    Reply reply = body(kPng);
    reply.headers = {{"Content-Length", length}};
    reply.announceLength = false;
    server.route("/x", reply);
    Rig rig;
    const auto got = rig.fetch(server.url("/x"));
    CHECK(got.outcome.state == MediaState::FailedPermanent);
    CHECK_THAT(got.outcome.error, Catch::Contains("sent Content-Length \"" + length + "\", not a number of bytes"));
    CHECK(rig.files().empty());
}

TEST_CASE("An oversized answer head is a permanent failure", "[fetch][framing]") {
    MediaServer server;
    Reply longValue = body(kPng);
    longValue.headers = {{"X-Padding", std::string(9000, 'a')}};
    server.route("/long-value", longValue);
    Reply many = body(kPng);
    for (int i = 0; i < 150; ++i) many.headers.emplace_back("X-Field-" + std::to_string(i), "v");
    server.route("/many", many);
    Rig rig;
    for (const char* path : {"/long-value", "/many"}) {
        const auto got = rig.fetch(server.url(path));
        CHECK(got.outcome.state == MediaState::FailedPermanent);
        CHECK_THAT(got.outcome.error, Catch::Contains("the answer head from 127.0.0.1 is malformed"));
    }
    CHECK(rig.files().empty());
}

TEST_CASE("A resolver's empty answer is a transient failure without a connection", "[fetch]") {
    MediaServer server;
    server.route("/x.png", body(kPng));
    Rig rig;
    rig.dns.answers["empty.test"] = {{}};
    const auto got = rig.fetch(server.url("/x.png", "empty.test"));
    CHECK(got.outcome.state == MediaState::FailedTransient);
    CHECK_THAT(got.outcome.error, Catch::Contains("the host empty.test has no address"));
    CHECK(server.connections() == 0);
}
