#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "service/StatusServer.h"
#include "support/ManualEnv.h"

using namespace okarchive;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

StatusServer::Handlers handlers() {
    return {[] { return std::pair<int, std::string>(200, "{\"status\":\"ok\"}"); },
            [] { return std::string("okarchive_archive_bytes 1\n"); }};
}

/// A blocking loopback TCP connection whose reads give up after 10 s (a bound only a bug reaches).
int connectTo(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    timeval limit{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    return fd;
}

/// Everything the server sends until it closes (or the 10 s bound passes).
std::string readToEnd(int fd) {
    std::string all;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) all.append(buffer, static_cast<std::size_t>(n));
    return all;
}

/// Sends `request` on a fresh connection and returns the whole answer.
std::string exchange(std::uint16_t port, const std::string& request) {
    const int fd = connectTo(port);
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    auto answer = readToEnd(fd);
    ::close(fd);
    return answer;
}

/// Seconds a complete GET /healthz took, answer included; the answer goes to `answer`.
double timedHealth(std::uint16_t port, std::string& answer) {
    const auto t0 = Clock::now();
    answer = exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// Ten connections that send nothing and ten that send one byte of a request every 0.5 s (reconnecting when
/// dropped), from a thread of their own, until destroyed.
class SlowClients {
public:
    explicit SlowClients(std::uint16_t port) : _port(port) {
        for (int i = 0; i < 20; ++i) _fds.push_back(connectTo(port));
        _thread = std::thread([this] { trickle(); });
    }
    ~SlowClients() {
        {
            std::lock_guard lock(_mutex);
            _done = true;
        }
        _changed.notify_all();
        _thread.join();
        for (int fd : _fds) ::close(fd);
    }

private:
    void trickle() {
        static const std::string request = "GET /healthz HTTP/1.1\r\nHost: trickle\r\n";  // never completed
        std::unique_lock lock(_mutex);
        for (std::size_t byte = 0; !_done; ++byte) {
            for (std::size_t i = 0; i < _fds.size(); ++i) {
                const bool trickler = i % 2 == 1;
                if (trickler && ::send(_fds[i], &request[byte % request.size()], 1, MSG_NOSIGNAL) == 1) continue;
                char probe;
                if (!trickler && ::recv(_fds[i], &probe, 1, MSG_DONTWAIT) != 0) continue;  // still open
                ::close(_fds[i]);  // dropped by the server: come back, as an attacker would
                _fds[i] = connectTo(_port);
            }
            _changed.wait_for(lock, 500ms, [&] { return _done; });
        }
    }

    std::uint16_t _port;
    std::vector<int> _fds;
    std::mutex _mutex;
    std::condition_variable _changed;
    bool _done = false;
    std::thread _thread;  // last
};

}  // namespace

TEST_CASE("ten idle and ten trickling connections never delay /healthz by 2 s") {
    StatusServer server("127.0.0.1:0", handlers());
    SlowClients attackers(server.port());
    double slowest = 0;
    std::string answer;
    const auto until = Clock::now() + 5s;  // past the head deadline: attackers dropped and back again
    int answered = 0;
    while (Clock::now() < until) {
        slowest = std::max(slowest, timedHealth(server.port(), answer));
        INFO(answer);
        REQUIRE(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        REQUIRE(answer.find("\r\n\r\n{\"status\":\"ok\"}") != std::string::npos);
        ++answered;
    }
    CHECK(answered > 2);
    CHECK(slowest < 2.0);
}

TEST_CASE("a request head that never completes is dropped at its deadline, read from the Env") {
    test::ManualEnv env;
    StatusServer server("127.0.0.1:0", handlers(), env);
    const int idle = connectTo(server.port());
    ::send(idle, "GET /hea", 8, MSG_NOSIGNAL);
    std::string answer;
    REQUIRE(timedHealth(server.port(), answer) < 2.0);  // the idle one is still open, and in nobody's way
    env.advance(2001ms);                                // its deadline passes (the loop looks at least every second)
    const auto t0 = Clock::now();
    CHECK(readToEnd(idle).empty());  // closed without an answer
    CHECK(Clock::now() - t0 < 5s);
    ::close(idle);
}

TEST_CASE("a request head over the size cap is answered 431 and closed") {
    StatusServer server("127.0.0.1:0", handlers());
    const auto answer = exchange(server.port(), "GET /healthz HTTP/1.1\r\nX-Long: " + std::string(9000, 'x'));
    CHECK(answer.rfind("HTTP/1.1 431 ", 0) == 0);
}

TEST_CASE("when every connection slot is taken, the oldest idle connection makes room") {
    StatusServer::Limits limits;
    limits.maxConnections = 3;
    StatusServer server("127.0.0.1:0", handlers(), Env::system(), limits);
    std::vector<int> idle;
    for (int i = 0; i < 3; ++i) idle.push_back(connectTo(server.port()));
    std::string answer;
    CHECK(timedHealth(server.port(), answer) < 2.0);
    CHECK(answer.rfind("HTTP/1.1 200 OK", 0) == 0);
    const auto t0 = Clock::now();
    CHECK(readToEnd(idle.front()).empty());  // the oldest was closed for it, long before the read gives up
    CHECK(Clock::now() - t0 < 5s);
    for (int fd : idle) ::close(fd);
}

TEST_CASE("HEAD answers headers only, HTTP/1.0 is answered in kind, another method is 405") {
    StatusServer server("127.0.0.1:0", handlers());
    const auto head = exchange(server.port(), "HEAD /healthz HTTP/1.0\r\n\r\n");
    CHECK(head.rfind("HTTP/1.0 200 OK\r\n", 0) == 0);
    CHECK(head.find("Content-Type: application/json; charset=utf-8\r\n") != std::string::npos);
    CHECK(head.find("Content-Length: 15\r\n") != std::string::npos);
    CHECK(head.size() == head.find("\r\n\r\n") + 4);
    const auto metrics = exchange(server.port(), "GET /metrics?x=1 HTTP/1.1\n\n");
    CHECK(metrics.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n") != std::string::npos);
    CHECK(metrics.find("\r\n\r\nokarchive_archive_bytes 1\n") != std::string::npos);
    const auto post = exchange(server.port(), "POST /healthz HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    CHECK(post.rfind("HTTP/1.1 405 ", 0) == 0);
    CHECK(exchange(server.port(), "nonsense\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
}

TEST_CASE("a malformed request target is the client's mistake: 400, not 500, and the server goes on") {
    StatusServer server("127.0.0.1:0", handlers());
    CHECK(exchange(server.port(), "GET /%zz HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
    const auto bracket = exchange(server.port(), "GET http://[::1 HTTP/1.0\r\n\r\n");
    CHECK(bracket.rfind("HTTP/1.0 400 ", 0) == 0);
    CHECK(bracket.find("okarchive: not a valid request target\n") != std::string::npos);
    CHECK(exchange(server.port(), "GET /healthz HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 200 ", 0) == 0);
}

TEST_CASE("every status line carries its own reason phrase, read off a real socket") {
    int healthCode = 503;
    StatusServer server("127.0.0.1:0", {[&] { return std::pair<int, std::string>(healthCode, "{}"); },
                                        []() -> std::string { throw std::runtime_error("no metrics"); }});
    const auto statusLine = [&](const std::string& request) {
        const auto answer = exchange(server.port(), request);
        return answer.substr(0, answer.find("\r\n"));
    };
    CHECK(statusLine("GET /healthz HTTP/1.1\r\n\r\n") == "HTTP/1.1 503 Service Unavailable");
    healthCode = 200;
    CHECK(statusLine("GET /healthz HTTP/1.0\r\n\r\n") == "HTTP/1.0 200 OK");
    CHECK(statusLine("GET /nope HTTP/1.1\r\n\r\n") == "HTTP/1.1 404 Not Found");
    CHECK(statusLine("DELETE /healthz HTTP/1.1\r\n\r\n") == "HTTP/1.1 405 Method Not Allowed");
    CHECK(statusLine("nonsense\r\n\r\n") == "HTTP/1.1 400 Bad Request");
    CHECK(statusLine("GET /%zz HTTP/1.1\r\n\r\n") == "HTTP/1.1 400 Bad Request");
    CHECK(statusLine("GET /metrics HTTP/1.1\r\n\r\n") == "HTTP/1.1 500 Internal Server Error");
    CHECK(statusLine("GET /healthz HTTP/1.1\r\nX-Long: " + std::string(9000, 'x')) ==
          "HTTP/1.1 431 Request Header Fields Too Large");
}
