#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "domain/Env.h"

namespace okarchive {

/// What one client of the StatusServer may take (a namespace-level type so it can be a default argument).
struct StatusServerLimits {
    std::chrono::milliseconds headDeadline{2000};    ///< from accept to a complete request head
    std::chrono::milliseconds answerDeadline{2000};  ///< from the head to the client having taken the answer
    std::size_t maxHeadBytes = 8192;                 ///< a longer request head is answered 431
    std::size_t maxConnections = 64;                 ///< open at once (the oldest unfinished one makes room)
};

/// The status endpoint: GET /healthz (JSON, 200 or 503) and GET /metrics (Prometheus text); everything else is 404
/// (405 for another method). One thread runs a poll() loop over non-blocking sockets, so no client, idle or slow,
/// delays another's answer: each connection has a deadline for its request head and one for taking its answer,
/// a request head is capped in size, and when all connection slots are taken the oldest one still sending its
/// request is dropped. One request per connection (Connection: close). Starts in the constructor, stops in the
/// destructor (at once: nothing it waits on outlives it).
class StatusServer {
public:
    struct Handlers {
        std::function<std::pair<int, std::string>()> health;  ///< status code and JSON body
        std::function<std::string()> metrics;                 ///< Prometheus text
    };
    using Limits = StatusServerLimits;

    /// `listen` is HOST:PORT (port 0 = any free port). Throws UsageError naming status.listen if it is malformed,
    /// Error naming it if it cannot be bound (the port is taken). Deadlines are read from `env`'s clock.
    StatusServer(const std::string& listen, Handlers handlers, Env& env = Env::system(), Limits limits = {});
    ~StatusServer();
    StatusServer(const StatusServer&) = delete;
    StatusServer& operator=(const StatusServer&) = delete;

    std::uint16_t port() const { return _port; }

    /// Splits HOST:PORT ([::1]:PORT for IPv6); throws UsageError naming status.listen.
    static std::pair<std::string, std::uint16_t> parseListen(const std::string& listen);

private:
    class Loop;  // the poll loop and its thread (StatusServer.cpp)

    std::unique_ptr<Loop> _loop;
    std::uint16_t _port = 0;
};

}  // namespace okarchive
