#include "net/Url.h"

#include <algorithm>
#include <cctype>

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <fmt/format.h>

namespace okarchive {
namespace {

bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

bool Origin::sameAs(const Origin& other) const {
    return https == other.https && port == other.port && lower(host) == lower(other.host);
}

std::string Origin::key() const { return fmt::format("{}://{}:{}", https ? "https" : "http", lower(host), port); }

HttpUrl parseHttpUrl(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw UrlError(fmt::format("is not a valid URL: {}", e.displayText()));
    }
    HttpUrl out;
    if (uri.getScheme() == "https")
        out.origin.https = true;
    else if (uri.getScheme() != "http")
        throw UrlError("must start with https:// (or http:// for testing)");
    out.origin.host = uri.getHost();
    if (out.origin.host.empty()) throw UrlError("has no host");
    out.origin.port = uri.getPort();
    out.path = percentEncode(uri.getPath(), kPathChars);
    out.query = uri.getRawQuery();
    return out;
}

std::string percentEncode(std::string_view text, std::string_view keep, bool upperHex) {
    static constexpr char upper[] = "0123456789ABCDEF";
    static constexpr char lowerHex[] = "0123456789abcdef";
    const char* hex = upperHex ? upper : lowerHex;
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (unreserved(c) || keep.find(ch) != std::string_view::npos) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

}  // namespace okarchive
