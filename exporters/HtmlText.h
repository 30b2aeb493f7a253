#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace okarchive {

/// Appends `text` escaped for HTML text and attribute values (& < > " ' become entities). Bytes HTML cannot carry
/// are replaced by U+FFFD: NUL and other C0 controls except TAB, LF and CR, DEL, invalid UTF-8 (including encoded
/// surrogates such as ED A0 80). Everything else (emoji, RTL, U+202E) passes as UTF-8.
void appendHtmlEscaped(std::string& out, std::string_view text);
/// `text` escaped as appendHtmlEscaped does, as a new string.
std::string htmlEscaped(std::string_view text);

/// Appends the start of a self-contained page, up to and including `<title>`: doctype, `<html lang>` (none if empty),
/// a Content-Security-Policy that forbids scripts, objects, forms and every load except inline style and the images
/// `imgSrc` allows ("'none'" for no image at all, "data:" for inline ones only) and the audio and video `mediaSrc`
/// allows (none when empty), no referrer, no DNS prefetch, the viewport, light and dark colour schemes.
void appendHtmlHead(std::string& out, std::string_view lang, std::string_view imgSrc, std::string_view mediaSrc = {});

/// An inline empty icon, for after `</title>` of a page whose img-src allows data: (a browser then asks for no
/// favicon).
inline constexpr std::string_view kEmptyIconLink = "<link rel=\"icon\" href=\"data:,\">\n";

/// Appends `text` percent-encoded for a URL fragment or path segment (everything but A-Z a-z 0-9 - . _ ~ : @ ! $ * ,
/// ; = + is %XX-encoded, bytes as they are), so the result is also safe inside a quoted HTML attribute as it is.
void appendUrlComponent(std::string& out, std::string_view text);

/// The first `maxChars` code points of `text` (never splitting a UTF-8 sequence); `cut` tells whether text was left.
std::string_view utf8Prefix(std::string_view text, std::size_t maxChars, bool* cut = nullptr);

/// True if `text` is well-formed UTF-8 (surrogates and overlongs refused).
bool isValidUtf8(std::string_view text);

}  // namespace okarchive
