#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sim/JsonEscape.h"
#include "sim/MediaContent.h"
#include "sim/MediaFaults.h"
#include "sim/SimConfig.h"

namespace okarchive::sim {

/// What a media link's expires/sig say about it.
enum class LinkCheck { Valid, Expired, BadSignature, Missing };

/// "valid", "expired", "bad_signature", "missing".
std::string_view linkCheckName(LinkCheck check);

/// The SHA-256 (lowercase hex) and size of the whole content of one media id.
struct MediaTruth {
    std::string sha256;
    std::size_t size = 0;
};

/// The text MessageFactory puts where a local media link goes; pages and the truth replace it with a link.
std::string mediaPlaceholder(MediaKind kind, std::string_view id);

/// Replaces every media placeholder in out[from..] with link(kind, id), escaped as a JSON string body in `style`.
void resolveMediaPlaceholders(std::string& out, std::size_t from, EscapeStyle style,
                              const std::function<std::string(MediaKind, std::string_view)>& link);

/// The media ids the simulator has handed out: signed expiring links, their faults, their content's truth, and how
/// often each was asked for. Thread-safe.
class MediaCatalog {
public:
    explicit MediaCatalog(const SimConfig& config);

    /// "http://HOST:PORT", the prefix of every link (set once the server listens).
    void setBaseUrl(std::string baseUrl);

    /// The link for a page being served: BASE/media/KIND/ID?expires=NOW+TTL&sig=HEX, minted fresh unless the id's
    /// latest link still has at least half its ttl left (then that one, so re-fetches within ttl/2 are identical;
    /// SimConfig::mediaFreshLinks mints on every call). The first link of an expired-first id is already expired.
    std::string mint(MediaKind kind, std::string_view id);
    /// The id's latest minted link (for the truth); for an id never served, its link with expires=0 (expired).
    std::string latestLink(MediaKind kind, std::string_view id) const;

    /// Whether expires/sig (nullopt when absent) make a valid link for (kind, id) now.
    LinkCheck check(MediaKind kind, std::string_view id, const std::optional<std::string>& expires,
                    const std::optional<std::string>& sig) const;
    /// The keyed hash of kind/id/expires (HMAC-SHA256 with a key from the seed), 32 hex digits.
    std::string signature(MediaKind kind, std::string_view id, std::int64_t expires) const;

    /// The fault of (kind, id) for the whole run.
    MediaFault fault(MediaKind kind, std::string_view id) const { return _plan.faultOf(kind, id); }
    /// Counts one content request of (kind, id); returns how many came before it.
    std::uint64_t countRequest(MediaKind kind, std::string_view id);
    /// The content's SHA-256 and size (computed once per id).
    MediaTruth truth(MediaKind kind, std::string_view id);
    /// The content of (kind, id).
    std::string bytes(MediaKind kind, std::string_view id) const { return MediaContent::bytes(kind, id, _maxSize); }

    /// [{"kind","id","sha256","size","fault","mime","links_minted","requests","latest_link"}...] of every minted id.
    std::string truthJson();

    /// The sim clock (epoch ms).
    std::int64_t now() const { return _clock(); }

private:
    struct Entry {
        std::string latestLink;
        std::uint64_t minted = 0;
        std::int64_t expires = 0;
        std::uint64_t requests = 0;
        std::optional<MediaTruth> truth;
    };
    static std::string key(MediaKind kind, std::string_view id);
    std::string link(MediaKind kind, std::string_view id, std::int64_t expires) const;

    const std::string _secret;
    const std::int64_t _ttlMs;
    const bool _freshLinks;
    const std::int64_t _maxSize;
    const MediaFaultPlan _plan;
    const std::function<std::int64_t()> _clock;
    mutable std::mutex _mutex;
    std::string _baseUrl;
    std::map<std::string, Entry> _entries;
};

}  // namespace okarchive::sim
