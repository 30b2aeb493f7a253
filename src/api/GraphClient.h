#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/RateLimiter.h"
#include "api/RetryPolicy.h"
#include "domain/Env.h"
#include "domain/Json.h"
#include "net/HttpTransport.h"

namespace okarchive {

struct ApiAnswer;

struct GraphClientSettings {
    std::string baseUrl = "https://api.ok.ru/graph";  ///< http:// allowed (loopback testing)
    std::string accessToken;
    std::chrono::milliseconds timeout{30000};  ///< total deadline of one request (connect, send, whole answer)
    RetryPolicy retry;
    std::size_t maxResponseBytes = 32u << 20;  ///< any one answer (a chat with its participants, a POST's answer)
    /// One page of a list: a history page or a page of /me/chats (count <= 100). Texts alone stay under 2.4 MB (100
    /// of 4,096 characters, each \u-escaped at 6 bytes), but 100 bot messages with full inline keyboards (210 buttons
    /// with payloads of up to 1 KB) reach about 25 MB, and a refused page stops its chat: 32 MiB, not less.
    std::size_t maxPageBytes = 32u << 20;
    /// JSON values in any one answer (100 messages of up to 2,500 values each): with maxResponseBytes this bounds
    /// an answer's memory to a few dozen MiB whatever its body holds ([0,0,...] costs ~72 bytes a value).
    std::size_t maxValues = 250'000;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// The OK Graph API on top of an HttpTransport: adds the access token (ONLY to requests for api.base_url's origin),
/// checks every body for error_code whatever the HTTP status, retries transient failures (waiting on the Env, so
/// `cancel` ends every wait and the request in flight: Cancelled), and throws AuthError / ChatAccessError / ApiError
/// / RetriesExhaustedError for final ones. The token never appears in any exception message. Not thread-safe: one
/// client per thread; the RateLimiter may be shared.
class GraphClient {
public:
    GraphClient(GraphClientSettings settings, std::shared_ptr<RateLimiter> limiter, Env& env = Env::system(),
                const Cancellation& cancel = Cancellation::never());
    ~GraphClient();

    /// `text` as one path segment: percent-encoded so that nothing in it ('/', '?', '#', '%', "..") can change the
    /// request's path (a chat id from an answer or the archive is one).
    static std::string segment(std::string_view text);
    /// GET base + path (e.g. "/me/messages/" + segment(chatId)) with `params` and access_token. The path's segments
    /// must be segment()s or plain literals: '%' is taken as already encoded.
    JsonDocument get(const std::string& path, const QueryParams& params);
    /// get() of one page of a list (history, chats): at most maxPageBytes.
    JsonDocument getPage(const std::string& path, const QueryParams& params);
    /// GET an absolute URL (e.g. one an answer pointed to) with `params`; the token goes along only when the URL's
    /// origin (scheme, host, port) is api.base_url's.
    JsonDocument getUrl(const std::string& url, const QueryParams& params);
    /// POST base + path with a JSON body (Content-Type: application/json;charset=utf-8), over a fresh connection.
    /// Retried ONLY when the server certainly did not act on it: the request could not be sent in full (connection
    /// refused, DNS failure, connect/send error or timeout), HTTP 429, or error 8 FLOOD_BLOCKED. After an ambiguous
    /// failure (timeout or reset while waiting for the answer, HTTP 5xx, other transient codes, unreadable 2xx body)
    /// it throws ApiError at once: a duplicate message in a chat is worse than a failed post. A 2xx with an empty
    /// body counts as success (returns an empty object).
    JsonDocument post(const std::string& path, const std::string& jsonBody);

    /// The connections underneath, for requests that must not carry the token (e.g. media from a CDN host).
    HttpTransport& transport() { return _transport; }
    std::uint64_t requestCount() const { return _requests; }  ///< HTTP requests sent, retries included
    /// Called after every HTTP exchange with (HTTP status or 0 on network failure, OK error_code or 0).
    void setObserver(std::function<void(int httpStatus, int errorCode)> observer) { _observer = std::move(observer); }
    /// Called before each retry with its reason (ApiAnswer::retryReason, one of retryReasons()).
    void setRetryObserver(std::function<void(const std::string& reason)> observer) {
        _retryObserver = std::move(observer);
    }
    /// Where warnings about a usable answer go (e.g. a chat of /me/chats skipped for its id); standard error unless
    /// set. warn() passes one on, made inert (inertText) and redacted.
    void setWarningSink(std::function<void(const std::string&)> sink) { _warn = std::move(sink); }
    void warn(const std::string& text) const;
    /// `text` with the access token replaced by "***": every access_token= parameter's value, and each raw or
    /// URL-encoded occurrence that stands as a whole run (not inside a longer word: token "x" leaves "expired" be).
    std::string redact(const std::string& text) const;

private:
    std::string apiPath(const std::string& path) const;
    HttpRequest request(const std::string& method, Origin origin, std::string target, const QueryParams& params) const;
    JsonDocument call(const HttpRequest& request, const std::string& what);
    ApiAnswer attempt(const HttpRequest& request);
    void waitBeforeRetry(const std::string& what, int attempt, const ApiAnswer& x, Env::TimePoint start);
    [[noreturn]] void throwFinal(const std::string& what, const ApiAnswer& x) const;

    Origin _origin;                        // api.base_url's: the only one that gets the token
    std::string _basePath;                 // e.g. "/graph", no trailing slash
    std::vector<std::string> _tokenForms;  // the token as it may appear in text: raw and URL-encoded, longest first

    GraphClientSettings _settings;
    std::shared_ptr<RateLimiter> _limiter;
    Env& _env;
    const Cancellation& _cancel;
    HttpTransport _transport;
    std::mt19937_64 _rng;
    std::atomic<std::uint64_t> _requests{0};
    std::function<void(int, int)> _observer;
    std::function<void(const std::string&)> _retryObserver;
    std::function<void(const std::string&)> _warn;
};

}  // namespace okarchive
