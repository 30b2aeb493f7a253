#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace okarchive {

/// The only gate through which a URL from a message may become an HTML href or src. Returns the URL to use if it is
/// an absolute http: or https: URL with a host, checked the way a browser would read it: ASCII tab, LF and CR are
/// removed first (browsers strip them anywhere, so "java\tscript:" is "javascript:"); then anything with a space,
/// a control character, a backslash, invalid UTF-8 or a bidirectional control (U+202E...) is refused, and the scheme
/// must be exactly http or https (ASCII case-insensitive) followed by "//" and a non-empty host. So "JaVaScRiPt:",
/// "data:", "vbscript:", entity tricks ("&#106;avascript:", "javascript&colon;"), leading spaces or controls, "//host"
/// (protocol-relative) and relative URLs are all refused. The result still needs HTML attribute escaping.
std::optional<std::string> safeHttpUrl(std::string_view url);

/// Appends `<a href="URL" rel="noopener noreferrer nofollow">` (with `class="CSS"` when given) for a URL that passed
/// safeHttpUrl(); the URL is attribute-escaped here. Every link okarchive writes to a URL from a message opens so.
void appendSafeLinkStart(std::string& out, std::string_view safeUrl, std::string_view cssClass = {});

/// Appends message text escaped for HTML, its http(s) URLs (found by splitLinks, exporters/TextLinks.h) as links
/// when safeHttpUrl() accepts them; anything else (javascript:, data:, a URL with a control character) stays text.
void appendTextWithLinks(std::string& out, std::string_view text);

}  // namespace okarchive
