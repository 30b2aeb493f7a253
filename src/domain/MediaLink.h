#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace okarchive {

/// The media one attachment carries, if any.
struct MediaSource {
    std::string url;  ///< the http(s) link as the API gave it (decoded)
    /// What the media is across messages and fetches: "<TYPE>:id:<id>" when the payload has an id, else
    /// "<TYPE>:link:<stableLink(url)>". Two attachments with one identity are downloaded once.
    std::string identity;
};

/// The media of an attachment: the payload's top-level "url" when it is an http(s) link and the type is IMAGE, VIDEO,
/// AUDIO, FILE, STICKER or one okarchive does not know; a CONTACT's "photoUrl". Nothing for other known types (SHARE,
/// MUSIC... link to pages, not media), malformed payloads, or other schemes (javascript:, data:, file:...).
std::optional<MediaSource> mediaSource(std::string_view type, std::string_view payloadJson);

/// The types mediaSource knows by name; any other type counts as "OTHER" for media.types.
bool isKnownMediaType(std::string_view type);

/// Whether a query parameter of a media link only signs or binds it (expires, sig, srcIp...): links that differ only
/// in these point to the same content.
bool isVolatileLinkParameter(std::string_view name);

/// `url` without its volatile query parameters (isVolatileLinkParameter), other parameters in their order.
std::string stableLink(std::string_view url);

/// Whether two JSON texts are the same value once every http(s) link string in them is replaced by its stableLink:
/// a message re-fetched with only fresh signed links is not an edit. False when either is malformed and they differ.
bool sameExceptVolatileLinks(std::string_view jsonA, std::string_view jsonB);

}  // namespace okarchive
