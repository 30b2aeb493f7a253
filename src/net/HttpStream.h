#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "domain/Env.h"
#include "net/HttpTransport.h"

namespace okarchive {

/// One GET whose body is streamed rather than kept (media downloads): a fresh connection to a numeric address the
/// caller checked, nothing but the request's own headers (no cookies, no proxy, no Authorization).
struct StreamRequest {
    Origin origin;        ///< the name: the Host header, the TLS server name and the certificate's name
    std::string address;  ///< numeric IPv4/IPv6 address to connect to (no name resolution happens here)
    std::string target = "/";
    HttpHeaders headers;
    std::string userAgent = "okarchive/0.1";
    std::chrono::milliseconds timeout{600000};      ///< the whole exchange, connect to the last byte
    std::chrono::milliseconds stallTimeout{30000};  ///< longest wait for the connection or for the next bytes
};

/// The status line and headers of a streamed answer.
struct StreamHead {
    int status = 0;
    std::string reason;
    std::string contentType;
    std::optional<std::int64_t> contentLength;  ///< as announced; none when the server did not say
    HttpHeaders headers;
    const std::string* header(std::string_view name) const;  ///< case-insensitive; nullptr if absent
};

/// Receives a streamed answer, on the calling thread.
class StreamSink {
public:
    virtual ~StreamSink() = default;
    /// The head arrived; return false to read none of the body (the connection is closed).
    virtual bool onHead(const StreamHead& head) = 0;
    /// The next bytes of the body (at most a fixed buffer's worth); return false to stop reading.
    virtual bool onData(const char* data, std::size_t size) = 0;
};

/// Sends `request` and streams the answer into `sink` until the body ends or the sink stops it. Throws
/// TransportError (network failures, the whole deadline, a stall) naming the host, never the target; Cancelled when
/// `cancel` fires (the socket is shut at once). Exceptions thrown by the sink pass through.
void streamRequest(const StreamRequest& request, StreamSink& sink, const Cancellation& cancel);

}  // namespace okarchive
