#include "net/HttpStream.h"

#include <istream>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>
#include <fmt/format.h>

#include "net/ArmedSession.h"
#include "net/DeadlineWatch.h"
#include "net/HttpSession.h"

namespace okarchive {
namespace {

/// The Host header of `origin`: the name, with the port unless it is the scheme's default (RFC 9110 7.2).
std::string hostHeader(const Origin& origin) {
    const bool ipv6 = origin.host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + origin.host + "]" : origin.host;
    const bool defaultPort = origin.port == (origin.https ? 443 : 80);
    return defaultPort ? host : fmt::format("{}:{}", host, origin.port);
}

StreamHead headOf(const Poco::Net::HTTPResponse& response) {
    StreamHead head;
    head.status = static_cast<int>(response.getStatus());
    head.reason = response.getReason();
    head.contentType = response.getContentType();
    const Poco::Int64 length = response.getContentLength64();
    if (length != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH) head.contentLength = length;
    for (const auto& [name, value] : response) head.headers.emplace_back(name, value);
    return head;
}

/// Where the exchange stands, for the message of a stall.
struct Progress {
    const char* stage = "connecting to";
};

void exchange(Poco::Net::HTTPClientSession& session, SocketAbort& abort, const StreamRequest& request, StreamSink& sink,
              Progress& progress) {
    Poco::Net::HTTPRequest head(Poco::Net::HTTPRequest::HTTP_GET, request.target, Poco::Net::HTTPMessage::HTTP_1_1);
    head.setKeepAlive(false);
    head.setHost(hostHeader(request.origin));
    head.set("User-Agent", request.userAgent);
    for (const auto& [name, value] : request.headers) head.set(name, value);
    session.sendRequest(head);
    if (abort.arm(session.socket().impl()->sockfd())) throw Poco::Net::ConnectionAbortedException("abandoned");
    progress.stage = "waiting for the answer of";
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    in.exceptions(std::ios::badbit);  // let the stream's network exception (a stall, a reset) reach us
    if (!sink.onHead(headOf(response))) return;
    progress.stage = "reading the body from";
    char buffer[65536];  // the one buffer of a download, whatever its size
    for (;;) {
        in.read(buffer, sizeof buffer);
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n > 0 && !sink.onData(buffer, n)) return;
        if (!in) return;
    }
}

}  // namespace

const std::string* StreamHead::header(std::string_view name) const { return findHeader(headers, name); }

void streamRequest(const StreamRequest& request, StreamSink& sink, const Cancellation& cancel) {
    const std::string& host = request.origin.host;
    const auto abandoned = [&] { return Cancelled(fmt::format("the download from {} was abandoned: stopping", host)); };
    const auto deadlineMissed = [&] {
        return TransportError(
            fmt::format("timeout: the download from {} took longer than {} ms", host, request.timeout.count()), true,
            true);
    };
    if (cancel.cancelled()) throw abandoned();
    SocketAbort abort;
    auto session = armedSession(request.origin, abort, request.address);
    session->setProxyConfig(Poco::Net::HTTPClientSession::ProxyConfig{});  // never a proxy, whatever is global
    session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(request.stallTimeout.count()) * 1000));
    session->setKeepAlive(false);
    auto hook = cancel.onCancel([&abort] { abort.abort(); });
    DeadlineWatch deadline(request.timeout, [&abort] { abort.abort(); });
    Progress progress;
    try {
        exchange(*session, abort, request, sink, progress);
    } catch (const Poco::Exception& e) {
        if (cancel.cancelled()) throw abandoned();
        if (deadline.expired()) throw deadlineMissed();
        const auto failure = describeNetworkFailure(e, request.origin,
                                                    fmt::format("stalled: nothing from {} for {} ms while {} it", host,
                                                                request.stallTimeout.count(), progress.stage));
        throw TransportError(failure.what, true, failure.retryable);
    } catch (const std::ios_base::failure&) {
        if (cancel.cancelled()) throw abandoned();
        throw TransportError(fmt::format("network error while reading from {}", host), true, true);
    }
    deadline.stop();
    abort.disarm();
    // A shut socket reads as the end of the body: what arrived is complete only if nothing shut it.
    if (cancel.cancelled()) throw abandoned();
    if (deadline.expired()) throw deadlineMissed();
}

}  // namespace okarchive
