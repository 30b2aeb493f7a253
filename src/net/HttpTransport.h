#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/Env.h"
#include "domain/Errors.h"
#include "net/Url.h"

namespace okarchive {

class HttpSession;

struct HttpSettings {
    std::chrono::milliseconds timeout{30000};  ///< the whole request: connect, send and the whole answer
    std::size_t maxResponseBytes = 64u << 20;
    std::string userAgent = "okarchive/0.1";
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;
/// The value of header `name` (case-insensitive), nullptr if absent.
const std::string* findHeader(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
    std::string method = "GET";
    Origin origin;
    std::string target = "/";  ///< percent-encoded path and query
    HttpHeaders headers;
    std::optional<std::string> body;
    std::string contentType;           ///< of `body`
    bool freshConnection = false;      ///< never over a kept-alive connection (a request that must not be repeated)
    std::size_t maxResponseBytes = 0;  ///< a tighter cap for this answer; 0: HttpSettings::maxResponseBytes
};

struct HttpResponse {
    int status = 0;
    std::string reason;
    std::string contentType;
    HttpHeaders headers;
    std::string body;

    const std::string* header(std::string_view name) const;  ///< case-insensitive; nullptr if absent
};

/// A request that got no whole answer: it could not be sent, the answer was cut, too large, or timed out. The
/// message names the host (never the target, which may carry secrets of the layer above).
class TransportError : public Error {
public:
    TransportError(const std::string& what, bool maybeProcessed, bool retryable, int httpStatus = 0)
        : Error(what), _maybeProcessed(maybeProcessed), _retryable(retryable), _httpStatus(httpStatus) {}
    /// Could the server have acted on the request? False only when it certainly did not get all of it.
    bool maybeProcessed() const { return _maybeProcessed; }
    bool retryable() const { return _retryable; }   ///< false: trying again cannot help (size cap, bad certificate)
    int httpStatus() const { return _httpStatus; }  ///< the status line, if one arrived; else 0

private:
    bool _maybeProcessed;
    bool _retryable;
    int _httpStatus;
};

/// A write to a socket a cancel shut (or the peer closed) then fails with EPIPE instead of killing the process by
/// SIGPIPE (Poco and OpenSSL write with plain send()/write()). Process-wide: call first in main().
void ignoreBrokenPipes();

/// HTTP/1.1 over keep-alive sessions, one per origin, with a total deadline per request (HttpSettings::timeout,
/// enforced on the system clock by shutting the socket, so a server that trickles bytes cannot stretch it), a
/// response size cap and TLS (system CAs, peer verified, TLS 1.2+). Knows nothing of tokens or of any API's rules:
/// every status is an answer. Not thread-safe: one transport per thread.
class HttpTransport {
public:
    explicit HttpTransport(HttpSettings settings);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    /// Sends `request` and reads the whole answer. Throws TransportError, or Cancelled when `cancel` fires first:
    /// a blocked connect-free read or write then returns at once (the socket is shut down).
    HttpResponse send(const HttpRequest& request, const Cancellation& cancel);
    const HttpSettings& settings() const { return _settings; }

private:
    HttpSettings _settings;
    std::map<std::string, std::unique_ptr<HttpSession>> _sessions;  // by Origin::key()
};

}  // namespace okarchive
