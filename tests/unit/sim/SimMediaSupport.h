#pragma once

// Helpers of the sim's media tests: the media links of a page, fetching one, hashing.
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>

#include <atomic>
#include <istream>
#include <string>
#include <vector>

#include "SimTestSupport.h"

namespace simtest {

/// One media attachment of a page: its type and the link in its payload ("url", or a CONTACT's "photoUrl").
struct MediaAttachment {
    std::string type;
    std::string url;
    std::string payload;  ///< the payload as Poco re-serialises it
    Poco::JSON::Object::Ptr object;
};

inline void collectMedia(const Poco::JSON::Object::Ptr& attachment, std::vector<MediaAttachment>& out) {
    const auto payload = attachment->getObject("payload");
    if (!payload) return;
    const std::string type = attachment->getValue<std::string>("type");
    const std::string key = type == "CONTACT" ? "photoUrl" : "url";
    if (!payload->has(key)) return;
    std::ostringstream text;
    payload->stringify(text);
    out.push_back({type, payload->getValue<std::string>(key), text.str(), payload});
}

/// Every attachment with a link of a /me/messages page.
inline std::vector<MediaAttachment> mediaOfPage(const std::string& body) {
    std::vector<MediaAttachment> out;
    const auto messages = parseObject(body)->getArray("messages");
    for (std::size_t i = 0; i < messages->size(); ++i) {
        const auto message = messages->getObject(static_cast<unsigned>(i))->getObject("message");
        if (!message) continue;
        if (const auto single = message->getObject("attachment")) collectMedia(single, out);
        if (const auto list = message->getArray("attachments"))
            for (std::size_t k = 0; k < list->size(); ++k) collectMedia(list->getObject(static_cast<unsigned>(k)), out);
    }
    return out;
}

/// Only the attachments whose link points at the sim's /media/.
inline std::vector<MediaAttachment> localMedia(const std::vector<MediaAttachment>& all) {
    std::vector<MediaAttachment> out;
    for (const auto& media : all)
        if (media.url.find("/media/") != std::string::npos && media.url.rfind("http://127.0.0.1:", 0) == 0)
            out.push_back(media);
    return out;
}

struct Fetched {
    int status = 0;
    std::string body;
    std::string contentType;
    std::string location;
    long long contentLength = -1;
};

/// GETs the path and query of `url` from the sim (a fresh connection), with extra request headers.
inline Fetched fetch(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    const Poco::URI uri(url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    Poco::Net::HTTPRequest request("GET", uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Fetched out;
    out.status = static_cast<int>(response.getStatus());
    out.contentType = response.getContentType();
    out.location = response.get("Location", "");
    out.contentLength = response.hasContentLength() ? static_cast<long long>(response.getContentLength64()) : -1;
    Poco::StreamCopier::copyToString(in, out.body);
    return out;
}

inline std::string sha256Hex(const std::string& bytes) {
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(sha.digest());
}

/// The lines of the sim's request log, parsed.
inline std::vector<Poco::JSON::Object::Ptr> requestLog(const okarchive::sim::Simulator& sim, std::uint64_t since = 0) {
    std::vector<Poco::JSON::Object::Ptr> out;
    for (const auto& line : lines(sim.requestLog(since))) out.push_back(parseObject(line));
    return out;
}

/// A sim clock tests move by hand.
struct ManualClock {
    std::shared_ptr<std::atomic<std::int64_t>> now = std::make_shared<std::atomic<std::int64_t>>(1700000000000LL);
    std::function<std::int64_t()> function() const {
        return [now = now] { return now->load(); };
    }
};

inline okarchive::sim::SimConfig mediaConfig(std::size_t messages, const ManualClock& clock, std::uint64_t seed = 7) {
    auto config = smallConfig(messages, seed);
    config.mediaClock = clock.function();
    return config;
}

inline std::string page(okarchive::sim::Simulator& sim, const std::string& query = "count=100") {
    Poco::Net::HTTPClientSession session("127.0.0.1", sim.port());
    return get(session, "/me/messages/chat:T1?access_token=sim-token&" + query).body;
}

}  // namespace simtest

namespace simtest {

/// The media attachments of every page of chat:T1, paging from the newest down (a millisecond split between two
/// pages may be skipped: these tests only need many media, not all).
inline std::vector<MediaAttachment> mediaOfChat(okarchive::sim::Simulator& sim) {
    std::vector<MediaAttachment> out;
    std::string from;
    for (int pages = 0; pages < 1000; ++pages) {
        const std::string body = page(sim, "count=100" + from);
        const auto messages = parseObject(body)->getArray("messages");
        if (messages->size() == 0) break;
        for (auto& media : mediaOfPage(body)) out.push_back(std::move(media));
        const auto oldest =
            messages->getObject(static_cast<unsigned>(messages->size() - 1))->getValue<Poco::Int64>("timestamp");
        from = "&from=" + std::to_string(oldest - 1);
    }
    return out;
}

/// "image" for IMAGE..., "other" for a type the sim does not name.
inline std::string kindOfType(const std::string& type) {
    if (type == "IMAGE" || type == "VIDEO" || type == "AUDIO" || type == "FILE" || type == "STICKER" ||
        type == "CONTACT")
        return Poco::toLower(type);
    return "other";
}

}  // namespace simtest
