#include "sim/MediaEndpoint.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <ostream>

#include "sim/FaultInjector.h"
#include "sim/SimHttp.h"

namespace okarchive::sim {
namespace {

constexpr std::string_view kPrefix = "/media/";
constexpr std::size_t kPiece = 64 * 1024;
constexpr std::size_t kTrickleBytes = 16;

std::optional<std::string> param(const std::map<std::string, std::string>& params, const char* name) {
    const auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
}

/// KIND and ID of /media/KIND/ID; nullopt for any other shape.
std::optional<std::pair<MediaKind, std::string>> parseMediaPath(const std::string& path) {
    if (path.rfind(kPrefix, 0) != 0) return std::nullopt;
    const auto slash = path.find('/', kPrefix.size());
    if (slash == std::string::npos) return std::nullopt;
    const auto kind = parseMediaKind(std::string_view(path).substr(kPrefix.size(), slash - kPrefix.size()));
    const std::string id = path.substr(slash + 1);
    const bool idOk = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
    });
    if (!kind || !idOk) return std::nullopt;
    return std::make_pair(*kind, id);
}

/// Writes `data` in pieces, counting each in the log before it is sent (uncounted if the send fails); false once
/// the connection fails.
bool writeCounted(std::ostream& out, std::string_view data, LoggedRequest& logged) {
    for (std::size_t at = 0; at < data.size(); at += kPiece) {
        const std::size_t n = std::min(kPiece, data.size() - at);
        logged.count(n);
        try {
            out.write(data.data() + at, static_cast<std::streamsize>(n));
            out.flush();
        } catch (const Poco::Exception&) {
            out.setstate(std::ios::badbit);
        }
        if (!out) {
            logged.uncount(n);
            return false;
        }
    }
    return true;
}

}  // namespace

void MediaEndpoint::sendSmall(Poco::Net::HTTPServerResponse& response, int status, const std::string& contentType,
                              const std::string& body, LoggedRequest& logged) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(contentType);
    logged.setStatus(status);
    logged.count(body.size());
    response.sendBuffer(body.data(), body.size());
}

void MediaEndpoint::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                           const std::string& path, const std::map<std::string, std::string>& params,
                           LoggedRequest& logged) {
    const auto target = parseMediaPath(path);
    if (!target) return sendSmall(response, 404, "text/html", htmlPage(404, "Not Found"), logged);
    if (request.getMethod() != "GET")
        return sendSmall(response, 405, "text/html", htmlPage(405, "Not Allowed"), logged);
    MediaRequestInfo media;
    media.kind = target->first;
    media.id = target->second;
    media.fault = _catalog.fault(media.kind, media.id);
    media.link = _catalog.check(media.kind, media.id, param(params, "expires"), param(params, "sig"));
    media.truth = _catalog.truth(media.kind, media.id);
    logged.setMedia(media);
    if (media.link != LinkCheck::Valid)
        return sendSmall(response, 403, "text/html", htmlPage(403, "Forbidden"), logged);
    serveContent(request, response, media, logged);
}

void MediaEndpoint::serveContent(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                 const MediaRequestInfo& media, LoggedRequest& logged) {
    const std::uint64_t before = _catalog.countRequest(media.kind, media.id);
    switch (media.fault) {
        case MediaFault::NotFound: return sendSmall(response, 404, "text/html", htmlPage(404, "Not Found"), logged);
        case MediaFault::Gone: return sendSmall(response, 410, "text/html", htmlPage(410, "Gone"), logged);
        case MediaFault::ServerError:
            if (before < 2)
                return sendSmall(response, 500, "text/html", htmlPage(500, "Internal Server Error"), logged);
            break;
        case MediaFault::Html200: return sendSmall(response, 200, "text/html", htmlPage(404, "Not Found"), logged);
        case MediaFault::RedirectPrivate:
            // Both refused even with media.allow_private_addresses (which lifts only loopback and private ranges).
            response.set("Location",
                         media.truth.size % 2 == 0 ? "http://169.254.169.254/latest/meta-data/" : "http://240.0.0.1/");
            return sendSmall(response, 302, "text/html", htmlPage(302, "Found"), logged);
        default: break;
    }
    const std::string content = _catalog.bytes(media.kind, media.id);
    const std::string mime = MediaContent::mime(media.kind, media.id);
    switch (media.fault) {
        case MediaFault::Trickle: return sendTrickle(response, mime, content, logged);
        case MediaFault::Huge: return sendHuge(response, mime, content, logged);
        case MediaFault::Reset:
            response.setKeepAlive(false);
            writeCounted(startBody(response, mime, content.size(), logged),
                         std::string_view(content).substr(0, content.size() / 2), logged);
            return resetConnection(request, response);
        case MediaFault::Short:
            response.setKeepAlive(false);
            writeCounted(startBody(response, mime, content.size() + 1000, logged), content, logged);
            return shutdownConnection(request);
        default: writeCounted(startBody(response, mime, content.size(), logged), content, logged);
    }
}

std::ostream& MediaEndpoint::startBody(Poco::Net::HTTPServerResponse& response, const std::string& mime,
                                       std::uint64_t length, LoggedRequest& logged) {
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(mime);
    response.setContentLength64(static_cast<Poco::Int64>(length));
    logged.setStatus(200);
    return response.send();
}

void MediaEndpoint::sendTrickle(Poco::Net::HTTPServerResponse& response, const std::string& mime,
                                const std::string& content, LoggedRequest& logged) {
    const std::size_t first = std::min(kTrickleBytes, content.size());
    std::ostream& out = startBody(response, mime, content.size(), logged);
    if (!writeCounted(out, std::string_view(content).substr(0, first), logged)) return;
    if (!_sleeper.sleep(_trickleMs)) return;  // the server stops
    writeCounted(out, std::string_view(content).substr(first), logged);
}

void MediaEndpoint::sendHuge(Poco::Net::HTTPServerResponse& response, const std::string& mime,
                             const std::string& content, LoggedRequest& logged) {
    response.setKeepAlive(false);
    std::ostream& out = startBody(response, mime, kHugeLength, logged);
    if (!writeCounted(out, content, logged)) return;
    const std::string filler(kPiece, '\0');
    while (logged.bytes() < kHugeLength) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, kHugeLength - logged.bytes()));
        if (!writeCounted(out, std::string_view(filler).substr(0, n), logged)) return;
    }
}

}  // namespace okarchive::sim
