#pragma once

// A hostile HTTP server on 127.0.0.1 (port 0): it answers every request at once with a status line, headers and a
// Content-Length, then sends the body one byte per `interval`, so no single read ever waits long. Connections are
// served one after another (a retry is a new connection). Everything stops when it is destroyed. Framing::raw
// sends no HTTP head: after the client's first bytes (e.g. a TLS ClientHello) it dribbles `body` as it is.

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include "domain/Env.h"

namespace okarchive::test {

class DribblingServer {
public:
    enum class Framing { http, raw };

    DribblingServer(std::string body, std::chrono::milliseconds interval, Framing framing = Framing::http)
        : _body(std::move(body)),
          _interval(interval),
          _framing(framing),
          _listener(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        _thread = std::thread([this] { serve(); });
    }
    ~DribblingServer() {
        _stop.cancel();
        _thread.join();
    }
    DribblingServer(const DribblingServer&) = delete;
    DribblingServer& operator=(const DribblingServer&) = delete;

    int port() const { return _listener.address().port(); }
    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(_listener.address().port()) + "/graph"; }
    int connections() const { return _connections; }

private:
    void serve() {
        while (!_stop.cancelled()) {
            if (!_listener.poll(Poco::Timespan(20000), Poco::Net::Socket::SELECT_READ)) continue;  // 20 ms
            Poco::Net::StreamSocket peer = _listener.acceptConnection();
            ++_connections;
            try {
                answer(peer);
            } catch (const Poco::Exception&) {  // the client gave up and closed: serve the next connection
            }
        }
    }

    void answer(Poco::Net::StreamSocket& peer) {
        std::string request;
        char buffer[4096];
        do {
            const int n = peer.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) return;
            request.append(buffer, static_cast<std::size_t>(n));
        } while (_framing == Framing::http && request.find("\r\n\r\n") == std::string::npos);
        if (_framing == Framing::http) {
            const std::string head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(_body.size()) +
                "\r\n\r\n";
            peer.sendBytes(head.data(), static_cast<int>(head.size()));
        }
        for (char c : _body) {
            if (!_stop.waitUntil(std::chrono::steady_clock::now() + _interval)) return;
            if (peer.sendBytes(&c, 1) != 1) return;
        }
    }

    std::string _body;
    std::chrono::milliseconds _interval;
    Framing _framing;
    Poco::Net::ServerSocket _listener;
    Cancellation _stop;
    std::atomic<int> _connections{0};
    std::thread _thread;
};

}  // namespace okarchive::test
