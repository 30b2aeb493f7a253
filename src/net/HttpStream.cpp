#include "net/HttpStream.h"

#include <cctype>
#include <istream>
#include <string_view>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/HTTPStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
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

/// Server text quoted in an error: printable ASCII only, at most 40 characters.
std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, 40)) out += c >= 0x20 && c < 0x7f ? c : '?';
    return out;
}

/// The comma-separated items of a header value, trimmed (an empty value is one empty item).
void appendItems(std::vector<std::string>& items, const std::string& value) {
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = value.find(',', start);
        items.push_back(Poco::trim(value.substr(start, comma == std::string::npos ? comma : comma - start)));
        if (comma == std::string::npos) return;
        start = comma + 1;
    }
}

/// How an answer's body is delimited (RFC 9112 6.3), or why it cannot be read.
struct Framing {
    bool chunked = false;
    std::optional<std::int64_t> length;
    std::string error;  ///< non-empty: the framing is malformed and the body is not read
};

std::optional<std::int64_t> lengthOf(const std::string& text) {
    if (text.empty() || text.size() > 18) return std::nullopt;  // 18 digits: no overflow
    std::int64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

/// Transfer-Encoding overrides Content-Length; several Content-Length values must agree (RFC 9112 6.3, RFC 9110 8.6).
Framing framingOf(const Poco::Net::HTTPResponse& response, const std::string& host) {
    std::vector<std::string> codings, lengths;
    for (const auto& [name, value] : response) {
        if (Poco::icompare(name, "Transfer-Encoding") == 0) appendItems(codings, value);
        if (Poco::icompare(name, "Content-Length") == 0) appendItems(lengths, value);
    }
    Framing out;
    if (!codings.empty()) {
        out.chunked = codings.size() == 1 && Poco::icompare(codings[0], "chunked") == 0;
        if (!out.chunked) out.error = fmt::format("{} sent an unsupported Transfer-Encoding", host);
        return out;
    }
    for (const auto& text : lengths) {
        const auto length = lengthOf(text);
        if (!length)
            out.error = fmt::format("{} sent Content-Length \"{}\", not a number of bytes", host, printable(text));
        else if (out.length && *out.length != *length)
            out.error =
                fmt::format("{} sent conflicting Content-Length headers ({} and {})", host, *out.length, *length);
        if (!out.error.empty()) return out;
        out.length = length;
    }
    return out;
}

StreamHead headOf(const Poco::Net::HTTPResponse& response, const Framing& framing) {
    StreamHead head;
    head.status = static_cast<int>(response.getStatus());
    head.reason = response.getReason();
    head.contentType = response.getContentType();
    if (framing.error.empty()) head.contentLength = framing.length;
    for (const auto& [name, value] : response) head.headers.emplace_back(name, value);
    return head;
}

/// Reads the status line and headers (Poco's limits: 100 fields of at most 8 KiB); skips 100 Continue.
void readHead(std::istream& in, Poco::Net::HTTPResponse& response, const std::string& host) {
    try {
        do {
            response.clear();
            response.read(in);
        } while (response.getStatus() == Poco::Net::HTTPResponse::HTTP_CONTINUE);
    } catch (const Poco::Net::MessageException& e) {  // not NoMessageException: no answer is a network failure
        throw TransportError(fmt::format("the answer head from {} is malformed: {}", host, e.message()), true, false);
    } catch (const Poco::SyntaxException&) {
        throw TransportError(fmt::format("the answer head from {} is malformed: a status that is no number", host),
                             true, false);
    }
}

/// Reads a body as its framing says, handing it to the sink: our own chunked reader, because Poco 1.11's takes a
/// connection closed mid-body for the end of it.
class BodyReader {
public:
    BodyReader(std::istream& in, StreamSink& sink, Poco::Net::StreamSocket& socket, const std::string& host)
        : _in(in), _sink(sink), _socket(socket), _host(host) {}

    void untilClose() {
        while (pass(sizeof _buffer) == Read::Full) {}
    }
    void fixed(std::int64_t length);
    void chunked();

private:
    enum class Read { Full, Short, Stopped };
    Read pass(std::size_t wanted);
    std::string line();
    std::uint64_t chunkSize();
    [[noreturn]] void cut() const;
    [[noreturn]] void malformed(const std::string& why) const;

    std::istream& _in;
    StreamSink& _sink;
    Poco::Net::StreamSocket& _socket;
    const std::string& _host;
    std::int64_t _bytes = 0;
    char _buffer[65536];  // the one buffer of a download, whatever its size
};

/// Reads up to `wanted` bytes (fewer only at the end of the connection) and hands them to the sink.
BodyReader::Read BodyReader::pass(std::size_t wanted) {
    _in.read(_buffer, static_cast<std::streamsize>(wanted));
    const auto n = static_cast<std::size_t>(_in.gcount());
    _bytes += static_cast<std::int64_t>(n);
    if (n > 0 && !_sink.onData(_buffer, n)) return Read::Stopped;
    return n == wanted ? Read::Full : Read::Short;
}

/// Reads `length` bytes; a shorter body is the sink's to judge (it knows the length), a longer one is refused.
void BodyReader::fixed(std::int64_t length) {
    for (std::int64_t left = length; left > 0;) {
        const auto wanted = static_cast<std::size_t>(std::min<std::int64_t>(left, sizeof _buffer));
        if (pass(wanted) != Read::Full) return;
        left -= static_cast<std::int64_t>(wanted);
    }
    if (_in.rdbuf()->in_avail() > 0 || _socket.available() > 0)  // only what has arrived: never waits for more
        throw TransportError(
            fmt::format("long body: {} sent more than the {} bytes its Content-Length announced", _host, length), true,
            true);
}

void BodyReader::chunked() {
    for (;;) {
        const std::uint64_t size = chunkSize();
        if (size == 0) return;  // the last chunk (its trailers are not read: the connection closes)
        for (std::uint64_t left = size; left > 0;) {
            const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(left, sizeof _buffer));
            const Read read = pass(wanted);
            if (read == Read::Stopped) return;
            if (read == Read::Short) cut();
            left -= wanted;
        }
        if (!line().empty()) malformed("a chunk is longer than its size");
    }
}

/// One line of the chunked framing, without its CRLF.
std::string BodyReader::line() {
    std::string out;
    for (;;) {
        const int c = _in.get();
        if (c == std::char_traits<char>::eof()) cut();
        if (c == '\n') break;
        if (out.size() == 4096) malformed("a chunk size line longer than 4096 bytes");
        out += static_cast<char>(c);
    }
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return out;
}

/// chunk-size [; chunk-ext]: 1*HEXDIG, at most 2^60 - 1.
std::uint64_t BodyReader::chunkSize() {
    const std::string text = line();
    std::string_view digits = std::string_view(text).substr(0, text.find(';'));
    while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\t')) digits.remove_suffix(1);
    if (digits.empty()) malformed(fmt::format("chunk size \"{}\" is empty", printable(text)));
    std::uint64_t size = 0;
    for (const char c : digits) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            malformed(fmt::format("chunk size \"{}\" is not hexadecimal", printable(text)));
        if (size >> 56) malformed(fmt::format("chunk size \"{}\" is too large", printable(text)));
        size = size << 4 | static_cast<std::uint64_t>(std::isdigit(static_cast<unsigned char>(c))
                                                          ? c - '0'
                                                          : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
    }
    return size;
}

void BodyReader::cut() const {
    throw TransportError(
        fmt::format("short body: the chunked answer from {} ended before its last chunk ({} bytes)", _host, _bytes),
        true, true);
}

void BodyReader::malformed(const std::string& why) const {
    throw TransportError(fmt::format("malformed chunked body from {}: {}", _host, why), true, false);
}

/// Where the exchange stands, for the message of a stall.
struct Progress {
    const char* stage = "connecting to";
};

void sendHead(Poco::Net::HTTPClientSession& session, const StreamRequest& request) {
    Poco::Net::HTTPRequest head(Poco::Net::HTTPRequest::HTTP_GET, request.target, Poco::Net::HTTPMessage::HTTP_1_1);
    head.setKeepAlive(false);
    head.setHost(hostHeader(request.origin));
    head.set("User-Agent", request.userAgent);
    for (const auto& [name, value] : request.headers) head.set(name, value);
    session.sendRequest(head).flush();  // the head waits in the request stream until flushed
}

/// The answer is read raw from the session (head and body): Poco's body streams are not used.
void exchange(Poco::Net::HTTPClientSession& session, SocketAbort& abort, const StreamRequest& request, StreamSink& sink,
              Progress& progress) {
    sendHead(session, request);
    if (abort.arm(session.socket().impl()->sockfd())) throw Poco::Net::ConnectionAbortedException("abandoned");
    progress.stage = "waiting for the answer of";
    Poco::Net::HTTPInputStream in(session);
    in.exceptions(std::ios::badbit);  // let the stream's network exception (a stall, a reset) reach us
    Poco::Net::HTTPResponse response;
    readHead(in, response, request.origin.host);
    const Framing framing = framingOf(response, request.origin.host);
    if (!sink.onHead(headOf(response, framing))) return;
    if (!framing.error.empty()) throw TransportError(framing.error, true, false);
    progress.stage = "reading the body from";
    BodyReader body(in, sink, session.socket(), request.origin.host);
    if (framing.chunked)
        body.chunked();
    else if (framing.length)
        body.fixed(*framing.length);
    else
        body.untilClose();
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
    } catch (const TransportError&) {  // a body cut short may be our own abort's doing
        if (cancel.cancelled()) throw abandoned();
        if (deadline.expired()) throw deadlineMissed();
        throw;
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
