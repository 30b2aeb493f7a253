#pragma once

// A hostile-on-demand media host on a loopback address (127.0.0.1 unless told, port 0) that tests script per path:
// any status, headers, a Content-Length that lies or none, a body repeated to any size, a stall after some bytes,
// a dribble, a connection reset. Connections are served one after another and closed after one answer. It counts
// connections, records each request's head, and counts the body bytes it managed to write.

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include "domain/Env.h"
#include "support/LoopbackServer.h"

namespace okarchive::test {

struct Reply {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  ///< e.g. Location, Content-Type
    std::string body;
    long long repeat = 1;                        ///< the body is sent this many times
    std::optional<long long> contentLength;      ///< announced; default: the true length
    bool announceLength = true;                  ///< false: no Content-Length, the body ends when the connection does
    std::size_t stallAfter = std::string::npos;  ///< body bytes sent before waiting until the client hangs up
    bool resetAfterStall = false;                ///< instead of waiting: reset the connection (RST) there
    std::chrono::milliseconds dribble{0};        ///< a pause before every byte (each one well within a read timeout)
    std::function<void()> onStall;               ///< runs when the stall begins (e.g. to cancel the client)
};

struct SeenRequest {
    std::string head;  ///< request line and headers, as received
    std::string target;
    bool hasHeader(const std::string& name) const {
        std::string lower = head, wanted = "\r\n" + name + ":";
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (auto& c : wanted) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return lower.find(wanted) != std::string::npos;
    }
};

class MediaServer {
public:
    explicit MediaServer(const std::string& address = "127.0.0.1")
        : _server([this](Poco::Net::StreamSocket& peer, const Cancellation& stop) { answer(peer, stop); }, address) {}

    void route(const std::string& path, Reply reply) {
        std::lock_guard lock(_mutex);
        _routes[path] = std::move(reply);
    }
    int port() const { return _server.port(); }
    /// A URL on this server, under another host name if given (the test's resolver maps it here).
    std::string url(const std::string& path, const std::string& host = "") const {
        return "http://" + (host.empty() ? _server.address() : host) + ":" + std::to_string(port()) + path;
    }
    int connections() const { return _server.connections(); }
    long long bytesWritten() const { return _written; }
    bool waitAnswered(int n) const { return _server.waitHandled(n); }
    std::vector<SeenRequest> seen() const {
        std::lock_guard lock(_mutex);
        return _seen;
    }

private:
    std::optional<Reply> requestOf(Poco::Net::StreamSocket& peer) {
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
            const int n = peer.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) return std::nullopt;
            request.append(buffer, static_cast<std::size_t>(n));
        }
        const std::size_t start = request.find(' ') + 1;
        const std::string target = request.substr(start, request.find(' ', start) - start);
        std::lock_guard lock(_mutex);
        _seen.push_back({request.substr(0, request.find("\r\n\r\n") + 2), target});
        const auto found = _routes.find(target.substr(0, target.find('?')));
        if (found != _routes.end()) return found->second;
        Reply missing;
        missing.status = 404;
        missing.body = "not here";
        return missing;
    }

    void answer(Poco::Net::StreamSocket& peer, const Cancellation& stop) {
        peer.setSendBufferSize(16384);  // the client, not the kernel, should hold back a body it stops reading
        const auto reply = requestOf(peer);
        if (!reply) return;
        const long long total = static_cast<long long>(reply->body.size()) * reply->repeat;
        std::string head = "HTTP/1.1 " + std::to_string(reply->status) + " Scripted\r\nConnection: close\r\n";
        for (const auto& [name, value] : reply->headers) head += name + ": " + value + "\r\n";
        if (reply->announceLength)
            head += "Content-Length: " + std::to_string(reply->contentLength.value_or(total)) + "\r\n";
        head += "\r\n";
        peer.sendBytes(head.data(), static_cast<int>(head.size()));
        sendBody(peer, *reply, stop);
        peer.shutdownSend();
    }

    void sendBody(Poco::Net::StreamSocket& peer, const Reply& reply, const Cancellation& stop) {
        std::size_t sent = 0;
        for (long long round = 0; round < reply.repeat; ++round) {
            for (std::size_t offset = 0; offset < reply.body.size();) {
                if (sent == reply.stallAfter) return stall(peer, reply, stop);
                std::size_t chunk = std::min(reply.body.size() - offset, reply.stallAfter - sent);
                if (reply.dribble.count() > 0) {
                    chunk = 1;
                    if (!stop.waitUntil(std::chrono::steady_clock::now() + reply.dribble)) return;
                }
                const int n =
                    peer.sendBytes(reply.body.data() + offset, static_cast<int>(std::min<std::size_t>(chunk, 65536)));
                if (n <= 0) return;
                offset += static_cast<std::size_t>(n);
                sent += static_cast<std::size_t>(n);
                _written += n;
            }
        }
        if (sent == reply.stallAfter) stall(peer, reply, stop);
    }

    /// Sends nothing more until the client hangs up (or the server stops), or resets the connection.
    void stall(Poco::Net::StreamSocket& peer, const Reply& reply, const Cancellation& stop) {
        if (reply.onStall) reply.onStall();
        if (reply.resetAfterStall) {
            peer.setLinger(true, 0);  // close() now sends RST
            peer.close();
            return;
        }
        char byte;
        while (!stop.cancelled())
            if (peer.poll(Poco::Timespan(20000), Poco::Net::Socket::SELECT_READ) && peer.receiveBytes(&byte, 1) <= 0)
                return;
    }

    mutable std::mutex _mutex;
    std::map<std::string, Reply> _routes;
    std::vector<SeenRequest> _seen;
    std::atomic<long long> _written{0};
    LoopbackServer _server;  // last: its thread stops first
};

}  // namespace okarchive::test
