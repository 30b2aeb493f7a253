#include "AttachmentUrl.h"

#include "domain/Json.h"

namespace okarchive {

std::optional<std::string> attachmentUrl(std::string_view payloadJson) {
    try {
        const auto document = JsonDocument::parse(std::string(payloadJson));
        const auto* url = document.root().find("url");
        if (url && url->isString()) return url->asString();
    } catch (const JsonParseError&) {
        // A payload is kept verbatim whatever it holds; a malformed one simply has no url to index.
    }
    return std::nullopt;
}

}  // namespace okarchive
