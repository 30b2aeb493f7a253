#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/MediaContent.h"

namespace okarchive::sim {

/// The faults a media id can have (--media-fault-kinds), one per id for the whole run.
enum class MediaFault {
    None,
    NotFound,         ///< "404": always 404
    Gone,             ///< "410": always 410
    ServerError,      ///< "500": the first two requests of the id answer 500, then it serves
    Trickle,          ///< "trickle": a few bytes, then a pause of --media-trickle-ms, then the rest
    Reset,            ///< "reset": half the body, then the connection is reset
    Short,            ///< "short": Content-Length larger than the body, then the connection closes
    Html200,          ///< "html200": status 200 with a text/html error page (images, stickers, contacts, video, audio)
    Huge,             ///< "huge": Content-Length 1 GiB, a body streamed until the client hangs up
    RedirectPrivate,  ///< "redirect-private": 302 to http://169.254.169.254/latest/meta-data/ (link-local, for an
                      ///< even-sized content) or http://240.0.0.1/ (reserved): both refused by any configuration
    ExpiredFirst,     ///< "expired-first": the first link minted for the id is already expired
};

/// "none", "404", "410", "500", "trickle", "reset", "short", "html200", "huge", "redirect-private", "expired-first".
std::string_view mediaFaultName(MediaFault fault);

/// Decides each media id's fault, deterministically from the seed and the id (not from the order of requests).
class MediaFaultPlan {
public:
    /// kinds empty: every kind. Throws std::invalid_argument for a rate outside 0..1 or an unknown kind name.
    MediaFaultPlan(std::uint64_t seed, double rate, const std::vector<std::string>& kinds);

    /// The fault of (kind, id): None for a share 1 - rate of the ids, else one of the kinds that fits the media kind
    /// (html200 only where an HTML page is not acceptable content: not for files and other media).
    MediaFault faultOf(MediaKind kind, std::string_view id) const;

    /// The fault named `name`; throws std::invalid_argument naming the accepted names.
    static MediaFault parse(const std::string& name);

    /// Every fault name but "none", in --help order.
    static const std::vector<std::string>& names();

private:
    std::uint64_t _seed;
    double _rate;
    std::vector<MediaFault> _kinds;
};

}  // namespace okarchive::sim
