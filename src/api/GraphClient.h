#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "domain/Json.h"
#include "api/RateLimiter.h"
#include "api/RetryPolicy.h"

namespace Poco::Net {
class HTTPClientSession;
}

namespace okarchive {

struct GraphClientSettings {
    std::string baseUrl = "https://api.ok.ru/graph";  ///< http:// allowed (loopback testing)
    std::string accessToken;
    std::chrono::milliseconds timeout{30000};  ///< connect and read timeout
    RetryPolicy retry;
    std::size_t maxResponseBytes = 64u << 20;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Talks to the OK Graph API over one keep-alive HTTP(S) session. Not thread-safe: one client per thread; the
/// RateLimiter may be shared. Every body is checked for error_code whatever the HTTP status; transient failures are
/// retried; final ones throw AuthError / ChatAccessError / ApiError / RetriesExhaustedError. The token never appears
/// in any exception message.
class GraphClient {
public:
    GraphClient(GraphClientSettings settings, std::shared_ptr<RateLimiter> limiter);
    ~GraphClient();

    /// GET base + path (e.g. "/me/messages/chat:X") with `params` and access_token.
    JsonDocument get(const std::string& path, const QueryParams& params);
    /// POST base + path with a JSON body (Content-Type: application/json;charset=utf-8), over a fresh connection.
    /// Retried ONLY when the server certainly did not act on it: the request could not be sent in full (connection
    /// refused, DNS failure, connect/send error or timeout), HTTP 429, or error 8 FLOOD_BLOCKED. After an ambiguous
    /// failure (timeout or reset while waiting for the answer, HTTP 5xx, other transient codes, unreadable 2xx body)
    /// it throws ApiError at once: a duplicate message in a chat is worse than a failed post. A 2xx with an empty
    /// body counts as success (returns an empty object).
    JsonDocument post(const std::string& path, const std::string& jsonBody);

    std::uint64_t requestCount() const { return _requests; }  ///< HTTP requests sent, retries included
    /// Called after every HTTP exchange with (HTTP status or 0 on network failure, OK error_code or 0).
    void setObserver(std::function<void(int httpStatus, int errorCode)> observer) { _observer = std::move(observer); }
    /// `text` with every occurrence of the access token (raw or URL-encoded) replaced by "***".
    std::string redact(const std::string& text) const;

private:
    struct Exchange;  // the outcome of one HTTP attempt (GraphClient.cpp)

    JsonDocument call(const std::string& method, const std::string& path, const QueryParams& params,
                      const std::string* body);
    Exchange exchange(const std::string& method, const std::string& target, const std::string* body);
    [[noreturn]] void throwFinal(const std::string& what, const Exchange& x) const;
    void openSession();
    void resetSession();

    bool _https = false;
    std::string _host;
    std::uint16_t _port = 0;
    std::string _basePath;                 // e.g. "/graph", no trailing slash
    std::vector<std::string> _tokenForms;  // the token as it may appear in text: raw and URL-encoded, longest first

    GraphClientSettings _settings;
    std::shared_ptr<RateLimiter> _limiter;
    std::unique_ptr<Poco::Net::HTTPClientSession> _session;
    std::mt19937_64 _rng;
    std::atomic<std::uint64_t> _requests{0};
    std::function<void(int, int)> _observer;
};

}  // namespace okarchive
