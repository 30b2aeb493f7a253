#include "sim/MediaCatalog.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <array>
#include <charconv>
#include <vector>

#include "sim/IsoTime.h"

namespace okarchive::sim {
namespace {

constexpr std::string_view kPlaceholder = "okapi-sim-media:";

bool isIdChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

/// An HMAC-SHA256 engine usable with Poco's template (it wants a block size and a default constructor).
class Sha256 : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::optional<std::int64_t> parseMs(const std::string& text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

}  // namespace

std::string_view linkCheckName(LinkCheck check) {
    static constexpr std::array<std::string_view, 4> names = {"valid", "expired", "bad_signature", "missing"};
    return names[static_cast<std::size_t>(check)];
}

std::string mediaPlaceholder(MediaKind kind, std::string_view id) {
    return std::string(kPlaceholder) + std::string(mediaKindName(kind)) + ":" + std::string(id);
}

void resolveMediaPlaceholders(std::string& out, std::size_t from, EscapeStyle style,
                              const std::function<std::string(MediaKind, std::string_view)>& link) {
    for (auto at = out.find(kPlaceholder, from); at != std::string::npos; at = out.find(kPlaceholder, at)) {
        const std::size_t kindStart = at + kPlaceholder.size();
        const std::size_t colon = out.find(':', kindStart);
        const auto kind = colon == std::string::npos
                              ? std::nullopt
                              : parseMediaKind(std::string_view(out).substr(kindStart, colon - kindStart));
        std::size_t end = colon == std::string::npos ? kindStart : colon + 1;
        while (end < out.size() && isIdChar(out[end])) ++end;
        if (!kind || end == colon + 1) {
            at = kindStart;
            continue;
        }
        std::string literal;
        appendWireString(literal, link(*kind, std::string_view(out).substr(colon + 1, end - colon - 1)), style);
        const std::string body = literal.substr(1, literal.size() - 2);
        out.replace(at, end - at, body);
        at += body.size();
    }
}

MediaCatalog::MediaCatalog(const SimConfig& config)
    : _secret("okapi-sim-media-" + std::to_string(config.seed)),
      _ttlMs(config.mediaLinkTtlMs),
      _freshLinks(config.mediaFreshLinks),
      _maxSize(config.mediaMaxSize),
      _plan(config.seed, config.mediaFaultRate, config.mediaFaultKinds),
      _clock(config.mediaClock ? config.mediaClock : std::function<std::int64_t()>(nowMs)),
      _baseUrl("http://" + config.host + ":" + std::to_string(config.port)) {}

void MediaCatalog::setBaseUrl(std::string baseUrl) {
    std::lock_guard lock(_mutex);
    _baseUrl = std::move(baseUrl);
}

std::string MediaCatalog::key(MediaKind kind, std::string_view id) {
    return std::string(mediaKindName(kind)) + "/" + std::string(id);
}

std::string MediaCatalog::signature(MediaKind kind, std::string_view id, std::int64_t expires) const {
    Poco::HMACEngine<Sha256> hmac(_secret);
    hmac.update(key(kind, id) + "/" + std::to_string(expires));
    return Poco::DigestEngine::digestToHex(hmac.digest()).substr(0, 32);
}

std::string MediaCatalog::link(MediaKind kind, std::string_view id, std::int64_t expires) const {
    return _baseUrl + "/media/" + key(kind, id) + "?expires=" + std::to_string(expires) +
           "&sig=" + signature(kind, id, expires);
}

std::string MediaCatalog::mint(MediaKind kind, std::string_view id) {
    const std::int64_t now = _clock();
    std::lock_guard lock(_mutex);
    Entry& entry = _entries[key(kind, id)];
    const bool expiredFirst = entry.minted == 0 && fault(kind, id) == MediaFault::ExpiredFirst;
    const bool reusable = !_freshLinks && entry.minted > 0 && entry.expires - now >= _ttlMs / 2;
    if (reusable) return entry.latestLink;
    entry.expires = expiredFirst ? now - 1 : now + _ttlMs;
    entry.latestLink = link(kind, id, entry.expires);
    ++entry.minted;
    return entry.latestLink;
}

std::string MediaCatalog::latestLink(MediaKind kind, std::string_view id) const {
    std::lock_guard lock(_mutex);
    const auto it = _entries.find(key(kind, id));
    if (it != _entries.end() && it->second.minted > 0) return it->second.latestLink;
    return link(kind, id, 0);
}

LinkCheck MediaCatalog::check(MediaKind kind, std::string_view id, const std::optional<std::string>& expires,
                              const std::optional<std::string>& sig) const {
    if (!expires || !sig) return LinkCheck::Missing;
    const auto at = parseMs(*expires);
    if (!at || *sig != signature(kind, id, *at)) return LinkCheck::BadSignature;
    return *at < _clock() ? LinkCheck::Expired : LinkCheck::Valid;
}

std::uint64_t MediaCatalog::countRequest(MediaKind kind, std::string_view id) {
    std::lock_guard lock(_mutex);
    return _entries[key(kind, id)].requests++;
}

MediaTruth MediaCatalog::truth(MediaKind kind, std::string_view id) {
    {
        std::lock_guard lock(_mutex);
        const auto& known = _entries[key(kind, id)].truth;
        if (known) return *known;
    }
    const std::string content = bytes(kind, id);
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(content.data(), static_cast<unsigned>(content.size()));
    MediaTruth truth{Poco::DigestEngine::digestToHex(sha.digest()), content.size()};
    std::lock_guard lock(_mutex);
    _entries[key(kind, id)].truth = truth;
    return truth;
}

std::string MediaCatalog::truthJson() {
    std::vector<std::string> keys;
    {
        std::lock_guard lock(_mutex);
        for (const auto& [name, entry] : _entries)
            if (entry.minted > 0) keys.push_back(name);
    }
    std::string out = "[";
    for (const auto& name : keys) {
        const auto slash = name.find('/');
        const MediaKind kind = *parseMediaKind(std::string_view(name).substr(0, slash));
        const std::string id = name.substr(slash + 1);
        const MediaTruth content = truth(kind, id);
        std::lock_guard lock(_mutex);
        const Entry& entry = _entries[name];
        out += std::string(out.size() > 1 ? "," : "") + "{\"kind\":\"" + std::string(mediaKindName(kind)) +
               "\",\"id\":" + canonicalString(id) + ",\"sha256\":\"" + content.sha256 +
               "\",\"size\":" + std::to_string(content.size) + ",\"fault\":\"" +
               std::string(mediaFaultName(fault(kind, id))) +
               "\",\"mime\":" + canonicalString(MediaContent::mime(kind, id)) +
               ",\"links_minted\":" + std::to_string(entry.minted) + ",\"requests\":" + std::to_string(entry.requests) +
               ",\"latest_link\":" + canonicalString(entry.latestLink) + "}";
    }
    return out + "]";
}

}  // namespace okarchive::sim
