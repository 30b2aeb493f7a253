#include "service/StatusServer.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>
#include <vector>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <fmt/format.h>

#include "domain/Errors.h"

namespace okarchive {
namespace {

/// One HTTP/1.x answer, closing the connection. `withBody` is false for HEAD (the length is still the body's).
std::string response(const std::string& version, int status, const std::string& type, const std::string& body,
                     bool withBody) {
    const auto reason =
        Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    const auto date = Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT);
    return fmt::format("{} {} {}\r\nDate: {}\r\nConnection: close\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n{}",
                       version, status, reason, date, type, body.size(), withBody ? body : std::string());
}

/// What a request for `path` gets: status code, content type and body.
struct Routed {
    int status = 200;
    std::string type = "text/plain; charset=utf-8";
    std::string body;
};

Routed route(const std::string& method, const std::string& path, const StatusServer::Handlers& handlers) {
    Routed out;
    try {
        if (method != "GET" && method != "HEAD") {
            out = {405, out.type, "only GET\n"};
        } else if (path == "/healthz") {
            std::tie(out.status, out.body) = handlers.health();
            out.type = "application/json; charset=utf-8";
        } else if (path == "/metrics") {
            out.body = handlers.metrics();
            out.type = "text/plain; version=0.0.4; charset=utf-8";
        } else {
            out = {404, out.type, "okarchive: GET /healthz or /metrics\n"};
        }
    } catch (const std::exception& e) {  // one request failed: say why, the server goes on
        out = {500, "text/plain; charset=utf-8", std::string("okarchive status: ") + e.what() + "\n"};
    }
    return out;
}

/// The answer to a complete request head: its method and target routed to the handlers.
std::string answer(const std::string& head, const StatusServer::Handlers& handlers) {
    const auto lineEnd = head.find_first_of("\r\n");
    const auto requestLine = head.substr(0, lineEnd);
    const auto space1 = requestLine.find(' '), space2 = requestLine.rfind(' ');
    if (space1 == std::string::npos || space2 == space1 || requestLine.compare(space2 + 1, 5, "HTTP/") != 0)
        return response("HTTP/1.1", 400, "text/plain; charset=utf-8", "okarchive: not an HTTP request\n", true);
    const auto method = requestLine.substr(0, space1);
    const auto version = requestLine.substr(space2 + 1) == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
    std::string path;
    try {
        path = Poco::URI(requestLine.substr(space1 + 1, space2 - space1 - 1)).getPath();
    } catch (const Poco::Exception&) {  // the client's mistake (e.g. "/%zz"), not the server's
        return response(version, 400, "text/plain; charset=utf-8", "okarchive: not a valid request target\n",
                        method != "HEAD");
    }
    const auto routed = route(method, path, handlers);
    return response(version, routed.status, routed.type, routed.body, method != "HEAD");
}

/// Where a complete request head ends (after its blank line), or npos.
std::size_t headEnd(const std::string& in) {
    const auto crlf = in.find("\r\n\r\n");
    const auto lf = in.find("\n\n");
    if (crlf != std::string::npos && (lf == std::string::npos || crlf + 2 < lf)) return crlf + 4;
    return lf == std::string::npos ? std::string::npos : lf + 2;
}

enum class Phase { Reading, Writing, Draining };

struct Connection {
    int fd = -1;
    std::uint64_t order = 0;  ///< accept order: the lowest is the oldest
    Phase phase = Phase::Reading;
    Env::TimePoint deadline;
    std::string in, out;
    std::size_t sent = 0;
};

}  // namespace

class StatusServer::Loop {
public:
    Loop(Poco::Net::ServerSocket socket, Handlers handlers, Env& env, Limits limits)
        : _socket(std::move(socket)), _handlers(std::move(handlers)), _env(env), _limits(limits) {
        _socket.setBlocking(false);
        if (::pipe2(_wake, O_NONBLOCK | O_CLOEXEC) != 0) throw Error("status endpoint: cannot create a pipe");
        _thread = std::thread([this] { run(); });
    }
    ~Loop() {
        const char byte = 1;
        [[maybe_unused]] const auto written = ::write(_wake[1], &byte, 1);
        _thread.join();
        for (auto& c : _connections) close(c);
        ::close(_wake[0]);
        ::close(_wake[1]);
    }
    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

private:
    void run() {
        while (pollOnce()) {
            expire();
            sweep();
        }
    }

    /// Forgets the connections closed meanwhile.
    void sweep() {
        _connections.erase(
            std::remove_if(_connections.begin(), _connections.end(), [](const Connection& c) { return c.fd < 0; }),
            _connections.end());
    }

    /// One poll() over the wake pipe, the listening socket and every connection; false once stopping.
    bool pollOnce() {
        std::vector<pollfd> fds = {{_wake[0], POLLIN, 0}, {_socket.impl()->sockfd(), POLLIN, 0}};
        for (const auto& c : _connections)
            fds.push_back({c.fd, static_cast<short>(c.phase == Phase::Writing ? POLLOUT : POLLIN), 0});
        if (::poll(fds.data(), fds.size(), timeoutMs()) < 0 && errno != EINTR) return false;
        if (fds[0].revents != 0) return false;
        for (std::size_t i = 0; i < _connections.size(); ++i)  // before accepting: the indices match fds
            if (fds[i + 2].revents != 0) serve(_connections[i]);
        if (fds[1].revents != 0) acceptAll();
        return true;
    }

    /// Until the nearest deadline, at most a second.
    int timeoutMs() const {
        auto wait = std::chrono::milliseconds(1000);
        const auto now = _env.now();
        for (const auto& c : _connections)
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(c.deadline - now));
        return static_cast<int>(std::max<std::int64_t>(wait.count(), 0));
    }

    void acceptAll() {
        sweep();
        for (;;) {
            const int fd = ::accept4(_socket.impl()->sockfd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) return;  // EAGAIN: none left (or out of descriptors: the next round tries again)
            if (_connections.size() >= _limits.maxConnections) makeRoom();
            Connection c;
            c.fd = fd;
            c.order = _accepted++;
            c.deadline = _env.now() + _limits.headDeadline;
            _connections.push_back(std::move(c));
        }
    }

    /// Drops the oldest connection still sending its request (else the oldest of all) for a new one.
    void makeRoom() {
        auto oldest = _connections.end();
        for (auto it = _connections.begin(); it != _connections.end(); ++it) {
            const bool better =
                oldest == _connections.end() || (it->phase == Phase::Reading && oldest->phase != Phase::Reading) ||
                ((it->phase == Phase::Reading) == (oldest->phase == Phase::Reading) && it->order < oldest->order);
            if (better) oldest = it;
        }
        if (oldest != _connections.end()) close(*oldest);
        sweep();
    }

    void serve(Connection& c) {
        if (c.phase == Phase::Writing)
            write(c);
        else
            read(c);
    }

    void read(Connection& c) {
        char buffer[4096];
        const auto n = ::recv(c.fd, buffer, sizeof buffer, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        if (n <= 0) return close(c);  // the client is gone (or done, after our answer)
        if (c.phase == Phase::Draining) return;
        c.in.append(buffer, static_cast<std::size_t>(n));
        const auto end = headEnd(c.in);
        if (end != std::string::npos && end <= _limits.maxHeadBytes)
            c.out = answer(c.in.substr(0, end), _handlers);
        else if (c.in.size() > _limits.maxHeadBytes)
            c.out = response("HTTP/1.1", 431, "text/plain; charset=utf-8", "okarchive: request head too long\n", true);
        else
            return;
        c.phase = Phase::Writing;
        c.deadline = _env.now() + _limits.answerDeadline;
        write(c);
    }

    void write(Connection& c) {
        while (c.sent < c.out.size()) {
            const auto n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
            if (n < 0) return close(c);
            c.sent += static_cast<std::size_t>(n);
        }
        // All sent: close our side, then wait (within the deadline) for the client to close, so unread bytes of
        // its request never turn the close into a reset that could discard the answer.
        ::shutdown(c.fd, SHUT_WR);
        c.phase = Phase::Draining;
    }

    void expire() {
        const auto now = _env.now();
        for (auto& c : _connections)
            if (c.fd >= 0 && now >= c.deadline) close(c);
    }

    static void close(Connection& c) {
        if (c.fd >= 0) ::close(c.fd);
        c.fd = -1;
    }

    Poco::Net::ServerSocket _socket;
    Handlers _handlers;
    Env& _env;
    Limits _limits;
    int _wake[2] = {-1, -1};
    std::vector<Connection> _connections;
    std::uint64_t _accepted = 0;
    std::thread _thread;  // last: starts once everything above exists
};

std::pair<std::string, std::uint16_t> StatusServer::parseListen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    unsigned port = 0;
    if (colon == std::string::npos || colon == 0 ||
        !Poco::NumberParser::tryParseUnsigned(listen.substr(colon + 1), port) || port > 65535)
        throw UsageError(
            fmt::format("setting status.listen = '{}' must be HOST:PORT, e.g. 127.0.0.1:9477 (empty = off)", listen));
    auto host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return {host, static_cast<std::uint16_t>(port)};
}

StatusServer::StatusServer(const std::string& listen, Handlers handlers, Env& env, Limits limits) {
    const auto [host, port] = parseListen(listen);
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(host, port), true, false);  // SO_REUSEADDR, never SO_REUSEPORT
        socket.listen(64);
    } catch (const Poco::Exception& e) {
        throw Error(fmt::format("setting status.listen = '{}': cannot listen there: {}", listen, e.displayText()));
    }
    ::fcntl(socket.impl()->sockfd(), F_SETFD, FD_CLOEXEC);
    _port = socket.address().port();
    _loop = std::make_unique<Loop>(std::move(socket), std::move(handlers), env, limits);
}

StatusServer::~StatusServer() = default;

}  // namespace okarchive
