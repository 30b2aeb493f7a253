#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/MediaCatalog.h"

namespace okarchive::sim {

/// What a media request asked for and got.
struct MediaRequestInfo {
    MediaKind kind = MediaKind::Other;
    std::string id;
    MediaFault fault = MediaFault::None;
    LinkCheck link = LinkCheck::Missing;
    MediaTruth truth;  ///< of the id's whole content: what a correct download is
};

/// One request the sim answers (API, media or an unknown path; never a control endpoint), live: it is in the log
/// from its start, and the handler updates status and bytes BEFORE it sends them, so a client that has read its
/// response always finds it complete in the log.
class LoggedRequest {
public:
    LoggedRequest(std::string method, std::string path, std::string query)
        : _method(std::move(method)), _path(std::move(path)), _query(std::move(query)) {}

    void setStatus(int status) { _status = status; }
    int status() const { return _status; }
    /// Counts `n` body bytes about to be sent (uncount() them if the send fails).
    void count(std::uint64_t n) { _bytes += n; }
    void uncount(std::uint64_t n) { _bytes -= n; }
    std::uint64_t bytes() const { return _bytes; }
    /// Where the access token appeared: "uri", "header:NAME", "body".
    void setTokenIn(std::vector<std::string> places);
    void setMedia(MediaRequestInfo media);

    /// {"seq","time_ms","method","path","query","status","bytes","token_seen","token_in":[...],
    ///  "media":null|{"kind","id","fault","link","sha256","size"}} and a newline.
    void appendJson(std::string& out, std::uint64_t seq, std::int64_t timeMs) const;

private:
    const std::string _method, _path, _query;  ///< the raw query, unredacted: tests must see the token is absent
    std::atomic<int> _status{0};               ///< 0: no answer (yet, or the connection was dropped)
    std::atomic<std::uint64_t> _bytes{0};      ///< body bytes sent
    mutable std::mutex _mutex;
    std::vector<std::string> _tokenIn;
    std::optional<MediaRequestInfo> _media;
};

/// Every request, in arrival order, for GET /_sim/requests (the newest `capacity` are kept). Thread-safe.
class RequestLog {
public:
    explicit RequestLog(std::size_t capacity = 200000) : _capacity(capacity) {}

    /// Adds a request as it starts, with the next sequence number (from 1); the handler fills it in.
    std::shared_ptr<LoggedRequest> begin(std::string method, std::string path, std::string query, std::int64_t timeMs);

    /// One JSON object per line (LoggedRequest::appendJson) for the entries with seq > since.
    std::string ndjson(std::uint64_t since) const;

    /// Forgets every entry (sequence numbers go on).
    void reset();

private:
    struct Stored {
        std::uint64_t seq;
        std::int64_t timeMs;
        std::shared_ptr<LoggedRequest> request;
    };

    const std::size_t _capacity;
    mutable std::mutex _mutex;
    std::deque<Stored> _entries;
    std::uint64_t _next = 1;
};

}  // namespace okarchive::sim
