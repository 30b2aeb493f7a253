#include "net/HttpSession.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Timespan.h>
#include <fmt/format.h>

#include "net/ArmedSession.h"
#include "net/DeadlineWatch.h"

namespace okarchive {
namespace {

HttpHeaders headersOf(const Poco::Net::HTTPResponse& head) {
    HttpHeaders out;
    for (const auto& [name, value] : head) out.emplace_back(name, value);
    return out;
}

}  // namespace

bool SocketAbort::arm(int fd) {
    std::lock_guard lock(_mutex);
    if (_fd >= 0) ::close(_fd);
    // A descriptor of our own for the same socket: Poco may close its descriptor (and the process reuse the number)
    // before disarm(), and a shutdown must never reach whatever socket took the number over.
    _fd = fd >= 0 ? ::fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (!_aborted || _fd < 0) return false;
    ::shutdown(_fd, SHUT_RDWR);
    return true;
}

bool SocketAbort::disarm() {
    std::lock_guard lock(_mutex);
    const bool shut = _aborted && _fd >= 0;
    if (_fd >= 0) ::close(_fd);
    _fd = -1;
    return shut;
}

void SocketAbort::abort() {
    std::lock_guard lock(_mutex);
    _aborted = true;
    if (_fd >= 0) ::shutdown(_fd, SHUT_RDWR);
}

void SocketAbort::rearm() {
    std::lock_guard lock(_mutex);
    _aborted = false;
}

HttpSession::HttpSession(Origin origin, const HttpSettings& settings)
    : _origin(std::move(origin)), _settings(settings) {}

HttpSession::~HttpSession() { reset(); }

void HttpSession::open() {
    if (_session) return;
    _session = armedSession(_origin, _abort);
    _session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(_settings.timeout.count()) * 1000));
    _session->setKeepAlive(true);
}

void HttpSession::reset() {
    _abort.disarm();  // first: the socket is closed below
    _session.reset();
}

HttpResponse HttpSession::send(const HttpRequest& request, const Cancellation& cancel) {
    const auto abandoned = [&] {
        return Cancelled(fmt::format("the request to {} was abandoned: stopping", _origin.host));
    };
    if (cancel.cancelled()) throw abandoned();
    if (request.freshConnection) reset();
    _abort.rearm();
    auto hook = cancel.onCancel([this] { _abort.abort(); });
    DeadlineWatch deadline(_settings.timeout, [this] { _abort.abort(); });  // the whole request, however it trickles
    try {
        transmit(request);
        const std::size_t limit = request.maxResponseBytes
                                      ? std::min(request.maxResponseBytes, _settings.maxResponseBytes)
                                      : _settings.maxResponseBytes;
        HttpResponse response = receive(limit);
        deadline.stop();  // before disarm, so a shut that came at the last moment is seen there
        const bool shut = _abort.disarm();
        if (deadline.expired()) fail(deadlineMissed(), true, true, response.status);  // a body cut short by the shut
        if (shut) reset();  // cancelled after the whole answer arrived: the shut socket cannot be kept
        return response;
    } catch (const TransportError& e) {
        if (cancel.cancelled()) {
            reset();
            throw abandoned();
        }
        if (deadline.expired()) fail(deadlineMissed(), e.maybeProcessed(), true, e.httpStatus());
        throw;
    }
}

std::string HttpSession::deadlineMissed() const {
    return fmt::format(
        "timeout: no complete answer from {} within the request deadline of {} ms (connect, send and "
        "the whole answer)",
        _origin.host, _settings.timeout.count());
}

/// Stage 1: connect and send the whole request. A failure here means the server never got a complete request.
void HttpSession::transmit(const HttpRequest& request) {
    Poco::Net::HTTPRequest head(request.method, request.target, Poco::Net::HTTPMessage::HTTP_1_1);
    head.setKeepAlive(true);
    head.set("User-Agent", _settings.userAgent);
    for (const auto& [name, value] : request.headers) head.set(name, value);
    if (request.body) {
        head.setContentType(request.contentType);
        head.setContentLength64(static_cast<Poco::Int64>(request.body->size()));
    }
    try {
        open();
        std::ostream& out = _session->sendRequest(head);
        // A new connection was armed as it connected (Armed*Session); a kept-alive one is armed here. Aborted already:
        // send nothing more, for a write on the shut socket would make Poco reconnect on a socket nobody can shut.
        if (_abort.arm(_session->socket().impl()->sockfd())) fail("the request was abandoned", false, true);
        if (request.body) out.write(request.body->data(), static_cast<std::streamsize>(request.body->size()));
        out.flush();
        if (!out.good()) {
            if (const Poco::Exception* e = _session->networkException()) fail(*e, false);
            fail("network error while sending the request", false, true);
        }
    } catch (const Poco::Exception& e) {
        fail(e, false);
    }
}

/// Stage 2: the answer. A failure from here on is ambiguous: the server may have acted on the request.
HttpResponse HttpSession::receive(std::size_t limit) {
    Poco::Net::HTTPResponse head;
    HttpResponse response;
    try {
        std::istream& in = _session->receiveResponse(head);
        in.exceptions(std::ios::badbit);  // let the stream's network exception (e.g. a timeout) reach us
        response.status = static_cast<int>(head.getStatus());
        response.body = readBody(in, head, limit);
    } catch (const Poco::Exception& e) {
        fail(e, true);
    } catch (const std::ios_base::failure&) {
        if (const Poco::Exception* e = _session ? _session->networkException() : nullptr) fail(*e, true);
        fail("network error while reading the response", true, true);
    }
    response.reason = head.getReason();
    response.contentType = head.getContentType();
    response.headers = headersOf(head);
    return response;
}

std::string HttpSession::readBody(std::istream& in, const Poco::Net::HTTPResponse& head, std::size_t limit) {
    const int status = static_cast<int>(head.getStatus());
    const auto tooLarge = [&] {
        fail(fmt::format("the response is larger than the limit of {} bytes", limit), true, false, status);
    };
    const Poco::Int64 length = head.getContentLength64();
    const bool known = length != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH;
    if (known && length > static_cast<Poco::Int64>(limit)) tooLarge();
    std::string data;
    if (length > 0) data.reserve(static_cast<std::size_t>(length));
    char buffer[65536];
    for (;;) {
        in.read(buffer, sizeof buffer);
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n > limit - data.size()) tooLarge();
        data.append(buffer, n);
        if (!in) break;
    }
    if (known && data.size() < static_cast<std::size_t>(length))
        fail(fmt::format("truncated response (HTTP {}, {} of {} bytes)", status, data.size(), length), true, true,
             status);
    return data;
}

namespace {

/// A certificate the peer check refused, or one the TLS handshake itself failed to verify (a lazy handshake reports
/// OpenSSL's "certificate verify failed" as a plain SSLException).
bool rejectedCertificate(const Poco::Exception& e) {
    if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e)) return true;
    return dynamic_cast<const Poco::Net::SSLException*>(&e) &&
           e.message().find("certificate verify failed") != std::string::npos;
}

}  // namespace

NetworkFailure describeNetworkFailure(const Poco::Exception& e, const Origin& origin, const std::string& timeoutText) {
    if (dynamic_cast<const Poco::TimeoutException*>(&e)) return {timeoutText, true};
    if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e))
        return {fmt::format("connection refused by {}:{}", origin.host, origin.port), true};
    if (rejectedCertificate(e))  // retrying will not make it acceptable
        return {fmt::format("the TLS certificate of {} was rejected: {}", origin.host, e.displayText()), false};
    return {fmt::format("network error: {}", e.displayText()), true};
}

void HttpSession::fail(const Poco::Exception& e, bool maybeProcessed) {
    const auto failure = describeNetworkFailure(
        e, _origin, fmt::format("timeout (no answer from {} within {} ms)", _origin.host, _settings.timeout.count()));
    fail(failure.what, maybeProcessed, failure.retryable);  // `e` may belong to the session: the message is built first
}

void HttpSession::fail(const std::string& what, bool maybeProcessed, bool retryable, int httpStatus) {
    reset();
    throw TransportError(what, maybeProcessed, retryable, httpStatus);
}

}  // namespace okarchive
