#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/Errors.h"

namespace okarchive {

/// Where a request goes: scheme, host and port (RFC 6454's origin). Keep-alive sessions are kept per origin.
struct Origin {
    bool https = false;
    std::string host;  ///< as written in the URL, compared case-insensitively
    std::uint16_t port = 0;

    bool sameAs(const Origin& other) const;
    std::string key() const;  ///< "https://host:port", lower case
};

/// An absolute http(s) URL split for sending: `target` is the percent-encoded path and query.
struct HttpUrl {
    Origin origin;
    std::string path;   ///< percent-encoded, may be empty
    std::string query;  ///< percent-encoded, without '?', may be empty
};

/// A URL that cannot be requested; the message says why (without the URL: the caller names it).
class UrlError : public Error {
public:
    using Error::Error;
};

/// Parses an absolute http:// or https:// URL; throws UrlError.
HttpUrl parseHttpUrl(const std::string& url);

/// RFC 3986 percent-encoding of everything but unreserved characters and `keep`.
std::string percentEncode(std::string_view text, std::string_view keep = {}, bool upperHex = true);

/// The characters a path segment may hold unencoded (RFC 3986 pchar minus unreserved, plus '/').
inline constexpr std::string_view kPathChars = "/:@!$&'()*+,;=";

}  // namespace okarchive
