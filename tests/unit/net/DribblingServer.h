#pragma once

// A hostile HTTP server on 127.0.0.1 (port 0): it answers every request at once with a status line, headers and a
// Content-Length, then sends the body one byte per `interval`, so no single read ever waits long. Connections are
// served one after another (a retry is a new connection). Everything stops when it is destroyed. Framing::raw
// sends no HTTP head: after the client's first bytes (e.g. a TLS ClientHello) it dribbles `body` as it is.

#include <chrono>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "domain/Env.h"
#include "support/LoopbackServer.h"

namespace okarchive::test {

class DribblingServer {
public:
    enum class Framing { http, raw };

    DribblingServer(std::string body, std::chrono::milliseconds interval, Framing framing = Framing::http)
        : _body(std::move(body)),
          _interval(interval),
          _framing(framing),
          _server([this](Poco::Net::StreamSocket& peer, const Cancellation& stop) { answer(peer, stop); }) {}

    int port() const { return _server.port(); }
    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port()) + "/graph"; }
    int connections() const { return _server.connections(); }

private:
    void answer(Poco::Net::StreamSocket& peer, const Cancellation& stop) {
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
            if (!stop.waitUntil(std::chrono::steady_clock::now() + _interval)) return;
            if (peer.sendBytes(&c, 1) != 1) return;
        }
    }

    std::string _body;
    std::chrono::milliseconds _interval;
    Framing _framing;
    LoopbackServer _server;  // last: its thread stops first
};

}  // namespace okarchive::test
