#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "net/HttpTransport.h"

namespace Poco {
class Exception;
}
namespace Poco::Net {
class HTTPClientSession;
class HTTPResponse;
}  // namespace Poco::Net

namespace okarchive {

/// Shuts down the socket a request blocks on when its Cancellation fires, so the blocked call returns at once.
/// Thread-safe: it shuts down its own duplicate of the armed fd (closed by disarm), so a socket that Poco closed
/// meanwhile never lets a shutdown reach another socket that reused its number.
class SocketAbort {
public:
    SocketAbort() = default;
    ~SocketAbort() { disarm(); }
    SocketAbort(const SocketAbort&) = delete;
    SocketAbort& operator=(const SocketAbort&) = delete;

    /// The socket of the request in flight; shut at once (and true returned) if already aborted.
    bool arm(int fd);
    bool disarm();  ///< at the request's end; true if it was aborted (the socket is shut)
    void abort();   ///< from the cancelling thread
    void rearm();   ///< a new request: forget an earlier abort

private:
    std::mutex _mutex;
    int _fd = -1;
    bool _aborted = false;
};

/// A Poco network exception as a TransportError's text (naming the host) and whether a retry may help (not for a
/// rejected certificate); `timeoutText` says what a timeout meant where it happened.
struct NetworkFailure {
    std::string what;
    bool retryable = true;
};
NetworkFailure describeNetworkFailure(const Poco::Exception& e, const Origin& origin, const std::string& timeoutText);

/// One keep-alive HTTP(S) connection to one origin (HttpTransport's building block; not thread-safe).
class HttpSession {
public:
    HttpSession(Origin origin, const HttpSettings& settings);
    ~HttpSession();

    HttpResponse send(const HttpRequest& request, const Cancellation& cancel);

private:
    void open();
    void reset();
    void transmit(const HttpRequest& request);
    HttpResponse receive(std::size_t limit);
    std::string readBody(std::istream& in, const Poco::Net::HTTPResponse& head, std::size_t limit);
    std::string deadlineMissed() const;
    [[noreturn]] void fail(const Poco::Exception& e, bool maybeProcessed);
    [[noreturn]] void fail(const std::string& what, bool maybeProcessed, bool retryable, int httpStatus = 0);

    Origin _origin;
    const HttpSettings& _settings;
    SocketAbort _abort;  // before _session, which refers to it
    std::unique_ptr<Poco::Net::HTTPClientSession> _session;
};

}  // namespace okarchive
