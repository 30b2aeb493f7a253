#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>

#include "sim/MediaCatalog.h"
#include "sim/RequestLog.h"
#include "sim/SimHttp.h"

namespace okarchive::sim {

class FaultInjector;

/// Serves GET /media/KIND/ID?expires=MS&sig=HEX: 403 for a missing or wrong signature or a past expiry (as OK's CDN),
/// else the id's content, or its fault (MediaFault). Thread-safe.
class MediaEndpoint {
public:
    /// `sleeper` provides the trickle fault's interruptible pause (stopped with the server).
    MediaEndpoint(MediaCatalog& catalog, FaultInjector& sleeper, int trickleMs)
        : _catalog(catalog), _sleeper(sleeper), _trickleMs(trickleMs) {}

    /// Answers one request under /media/ and fills `logged` in (media, status, bytes) before it
    /// sends each part.
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const std::string& path,
                const std::map<std::string, std::string>& params, LoggedRequest& logged);

    /// The Content-Length the huge fault announces (1 GiB).
    static constexpr std::uint64_t kHugeLength = 1ULL << 30;

private:
    /// Status, type and a whole small body (error pages, redirects).
    static void sendSmall(Poco::Net::HTTPServerResponse& response, int status, const std::string& contentType,
                          const std::string& body, LoggedRequest& logged);
    /// The content, or its fault's mangling of it.
    void serveContent(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                      const MediaRequestInfo& media, LoggedRequest& logged);
    /// Sends status 200 and headers announcing `length`; the body stream.
    static std::ostream& startBody(Poco::Net::HTTPServerResponse& response, const std::string& mime,
                                   std::uint64_t length, LoggedRequest& logged);
    void sendTrickle(Poco::Net::HTTPServerResponse& response, const std::string& mime, const std::string& content,
                     LoggedRequest& logged);
    void sendHuge(Poco::Net::HTTPServerResponse& response, const std::string& mime, const std::string& content,
                  LoggedRequest& logged);

    MediaCatalog& _catalog;
    FaultInjector& _sleeper;
    const int _trickleMs;
};

}  // namespace okarchive::sim
