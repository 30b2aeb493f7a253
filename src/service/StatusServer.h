#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace Poco::Net {
class HTTPServer;
}

namespace okarchive {

/// The status endpoint: GET /healthz (JSON, 200 or 503) and GET /metrics (Prometheus text), on a Poco HTTPServer
/// with two threads. Everything else is 404. Starts in the constructor, stops (waiting for requests in progress) in
/// the destructor.
class StatusServer {
public:
    struct Handlers {
        std::function<std::pair<int, std::string>()> health;  ///< status code and JSON body
        std::function<std::string()> metrics;                 ///< Prometheus text
    };

    /// `listen` is HOST:PORT (port 0 = any free port). Throws UsageError naming status.listen if it cannot bind.
    StatusServer(const std::string& listen, Handlers handlers);
    ~StatusServer();
    StatusServer(const StatusServer&) = delete;
    StatusServer& operator=(const StatusServer&) = delete;

    std::uint16_t port() const { return _port; }

    /// Splits HOST:PORT ([::1]:PORT for IPv6); throws UsageError naming status.listen.
    static std::pair<std::string, std::uint16_t> parseListen(const std::string& listen);

private:
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    std::uint16_t _port = 0;
};

}  // namespace okarchive
