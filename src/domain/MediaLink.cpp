#include "domain/MediaLink.h"

#include <array>
#include <cctype>

#include "domain/Json.h"

namespace okarchive {

namespace {

constexpr std::array<std::string_view, 5> kMediaTypes = {"IMAGE", "VIDEO", "AUDIO", "FILE", "STICKER"};
/// Known types whose links are pages or buttons, not media.
constexpr std::array<std::string_view, 8> kNonMediaTypes = {"SHARE",   "MUSIC",           "LOCATION", "CALL",
                                                            "PRESENT", "INLINE_KEYBOARD", "CONTACT",  "KEYBOARD"};

bool isHttpLink(std::string_view url) {
    auto startsWithNoCase = [&](std::string_view prefix) {
        if (url.size() < prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if (static_cast<char>(std::tolower(static_cast<unsigned char>(url[i]))) != prefix[i]) return false;
        return true;
    };
    return startsWithNoCase("https://") || startsWithNoCase("http://");
}

bool contains(const auto& list, std::string_view value) {
    for (auto item : list)
        if (item == value) return true;
    return false;
}

std::string identityOf(std::string_view type, const JsonValue& payload, const std::string& url) {
    std::string identity(type);
    if (const auto* id = payload.find("id"); id && (id->isString() || id->isInteger())) {
        const std::string text = id->isString() ? id->asString() : std::string(id->raw());
        if (!text.empty()) return identity.append(":id:").append(text);
    }
    return identity.append(":link:").append(stableLink(url));
}

bool sameValue(const JsonValue& a, const JsonValue& b) {
    if (a.type() != b.type()) return false;
    switch (a.type()) {
        case JsonValue::Type::String:
            if (a.asString() == b.asString()) return true;
            return isHttpLink(a.asString()) && isHttpLink(b.asString()) &&
                   stableLink(a.asString()) == stableLink(b.asString());
        case JsonValue::Type::Array: {
            const auto& x = a.items();
            const auto& y = b.items();
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (!sameValue(x[i], y[i])) return false;
            return true;
        }
        case JsonValue::Type::Object: {
            const auto& x = a.members();
            const auto& y = b.members();
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (x[i].first != y[i].first || !sameValue(x[i].second, y[i].second)) return false;
            return true;
        }
        default: return a.raw() == b.raw();
    }
}

}  // namespace

bool isKnownMediaType(std::string_view type) { return contains(kMediaTypes, type) || type == "CONTACT"; }

std::optional<MediaSource> mediaSource(std::string_view type, std::string_view payloadJson) {
    const bool media = contains(kMediaTypes, type) || !contains(kNonMediaTypes, type);
    const char* member = type == "CONTACT" ? "photoUrl" : media ? "url" : nullptr;
    if (!member) return std::nullopt;
    try {
        const auto document = JsonDocument::parse(std::string(payloadJson));
        const auto* url = document.root().find(member);
        if (!url || !url->isString() || !isHttpLink(url->asString())) return std::nullopt;
        // A contact's photo is the contact's: its id names the contact, not the photo, so it is known by its link.
        const auto identity = type == "CONTACT" ? std::string("CONTACT:link:") + stableLink(url->asString())
                                                : identityOf(type, document.root(), url->asString());
        return MediaSource{url->asString(), identity};
    } catch (const JsonParseError&) {
        return std::nullopt;  // a payload is kept verbatim whatever it holds; a malformed one has no media
    }
}

bool isVolatileLinkParameter(std::string_view name) {
    static constexpr std::array<std::string_view, 6> kVolatile = {"expires", "sig",       "srcIp",
                                                                  "srcip",   "signature", "expire"};
    return contains(kVolatile, name);
}

std::string stableLink(std::string_view url) {
    const auto query = url.find('?');
    if (query == std::string_view::npos) return std::string(url);
    const auto fragment = url.find('#', query);
    std::string out(url.substr(0, query));
    const auto params = url.substr(query + 1, fragment == std::string_view::npos ? fragment : fragment - query - 1);
    char separator = '?';
    for (std::size_t start = 0; start <= params.size();) {
        auto end = params.find('&', start);
        if (end == std::string_view::npos) end = params.size();
        const auto param = params.substr(start, end - start);
        if (!param.empty() && !isVolatileLinkParameter(param.substr(0, param.find('=')))) {
            out.push_back(separator);
            out.append(param);
            separator = '&';
        }
        start = end + 1;
    }
    if (fragment != std::string_view::npos) out.append(url.substr(fragment));
    return out;
}

bool sameExceptVolatileLinks(std::string_view jsonA, std::string_view jsonB) {
    if (jsonA == jsonB) return true;
    try {
        const auto a = JsonDocument::parse(std::string(jsonA));
        const auto b = JsonDocument::parse(std::string(jsonB));
        return sameValue(a.root(), b.root());
    } catch (const JsonParseError&) {
        return false;
    }
}

}  // namespace okarchive
