#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/SimConfig.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace okarchive::sim {

class Dataset;
class FaultInjector;
class RequestLog;
class RequestStats;
class SimEndpoints;

/// okapi-sim, embeddable: an OK Graph Bot API simulator over a deterministic dataset (see SimConfig).
/// The server root is the Graph base (endpoints /me/...); control endpoints live under /_sim/.
/// Thread-safe: every public method may be called while the server runs.
class Simulator {
public:
    /// Generates the dataset (fast: a million messages in well under a second). Throws std::invalid_argument
    /// for a bad configuration (bad chat id, duplicate chat, fault rate outside 0..1, unknown fault kind...).
    explicit Simulator(SimConfig config);
    ~Simulator();  ///< stops the server
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    /// Binds host:port and serves on a thread pool; returns once listening. Throws Poco::Exception if it cannot bind.
    void start();
    /// Stops serving: aborts open connections, wakes delayed answers, waits for the handlers. Idempotent.
    void stop();

    /// The bound port (the actual one when configured with 0); the configured port before start().
    std::uint16_t port() const;
    /// "http://HOST:PORT" (127.0.0.1 when bound to 0.0.0.0): the Graph base URL to give a client.
    std::string baseUrl() const;

    /// The chat's ground truth as okarchive NDJSON (ascending by timestamp, seq). reachableOnly drops the messages
    /// of a millisecond holding more than pageCap that no page can return. Throws std::out_of_range if unknown.
    std::string truthNdjson(const std::string& chatId, bool reachableOnly) const;
    /// Same as truthNdjson, streamed to `out` (for large chats).
    void writeTruth(const std::string& chatId, bool reachableOnly, std::ostream& out) const;

    /// Appends `count` ordinary messages (timestamp max(now, last + 1)). Throws std::out_of_range if unknown.
    void append(const std::string& chatId, std::size_t count);

    /// API (/me/...) requests served since start or the last resetStats().
    std::uint64_t apiRequests() const;

    /// Messages in the chat now (0 if unknown).
    std::size_t messageCount(const std::string& chatId) const;
    /// Changes the accepted access_token.
    void setToken(const std::string& token);
    /// Changes fault injection (kinds empty: every kind but delay). Throws std::invalid_argument.
    void setFaults(double rate, const std::vector<std::string>& kinds);
    /// Zeroes the request statistics.
    void resetStats();
    /// The statistics JSON of /_sim/stats.
    std::string statsJson() const;
    /// Media requests (/media/...) served since start or the last resetStats().
    std::uint64_t mediaRequests() const;
    /// The request log of /_sim/requests: NDJSON, one line per request with seq > since (see RequestLog).
    std::string requestLog(std::uint64_t since = 0) const;
    /// The JSON array of /_sim/media-truth: every media id minted so far, with its content's sha256 and size.
    std::string mediaTruthJson() const;
    /// The configuration as given (chats empty means the default chat).
    const SimConfig& config() const { return _config; }

private:
    void appendLoop();

    SimConfig _config;
    std::unique_ptr<Dataset> _dataset;
    std::unique_ptr<FaultInjector> _faults;
    std::unique_ptr<RequestStats> _stats;
    std::unique_ptr<RequestLog> _log;
    std::unique_ptr<SimEndpoints> _endpoints;
    std::unique_ptr<Poco::ThreadPool> _pool;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    std::uint16_t _port = 0;
    mutable std::mutex _lifecycle;
    std::thread _appender;
    std::mutex _appendMutex;
    std::condition_variable _appendWake;
    bool _appendStop = false;
};

}  // namespace okarchive::sim
