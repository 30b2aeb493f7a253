#include "exporters/SafeUrl.h"

#include "domain/TextFold.h"
#include "exporters/HtmlText.h"
#include "exporters/TextLinks.h"

namespace okarchive {
namespace {

/// True if `text` holds a character that reorders what is displayed (U+061C, U+200E/F, U+202A..E, U+2066..9): a link
/// text "https://ok.ru/\u202Eexe.gnp" would not read as the address it opens.
bool hasBidiControl(std::string_view text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(text[i]), b1 = static_cast<unsigned char>(text[i + 1]);
        if (b0 == 0xD8 && b1 == 0x9C) return true;  // U+061C
        if (b0 != 0xE2 || i + 2 >= text.size()) continue;
        const auto b2 = static_cast<unsigned char>(text[i + 2]);
        if (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) return true;
        if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return true;
    }
    return false;
}

}  // namespace

std::optional<std::string> safeHttpUrl(std::string_view url) {
    std::string u;
    u.reserve(url.size());
    for (char c : url)
        if (c != '\t' && c != '\n' && c != '\r') u += c;
    if (u.empty()) return std::nullopt;
    for (char ch : u) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7F || c == '\\') return std::nullopt;
    }
    if (!isValidUtf8(u) || hasBidiControl(u)) return std::nullopt;
    const std::size_t colon = u.find(':');
    if (colon == std::string::npos) return std::nullopt;
    const std::string_view scheme(u.data(), colon);
    if (!equalsIgnoringAsciiCase(scheme, "http") && !equalsIgnoringAsciiCase(scheme, "https")) return std::nullopt;
    std::string_view rest(u.data() + colon + 1, u.size() - colon - 1);
    if (rest.size() < 3 || rest[0] != '/' || rest[1] != '/') return std::nullopt;
    std::string_view authority = rest.substr(2);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    const std::size_t at = authority.rfind('@');
    std::string_view hostPort = at == std::string_view::npos ? authority : authority.substr(at + 1);
    std::string_view host = hostPort;
    if (!host.empty() && host.front() == '[') {
        const std::size_t close = host.find(']');
        if (close == std::string_view::npos || close < 2) return std::nullopt;
    } else {
        host = host.substr(0, host.find(':'));
        if (host.empty()) return std::nullopt;
    }
    return u;
}

void appendSafeLinkStart(std::string& out, std::string_view safeUrl, std::string_view cssClass) {
    out += "<a ";
    if (!cssClass.empty()) {
        out += "class=\"";
        appendHtmlEscaped(out, cssClass);
        out += "\" ";
    }
    out += "href=\"";
    appendHtmlEscaped(out, safeUrl);
    out += "\" rel=\"noopener noreferrer nofollow\">";
}

void appendTextWithLinks(std::string& out, std::string_view text) {
    for (const TextPiece& piece : splitLinks(text)) {
        const std::optional<std::string> safe = piece.link ? safeHttpUrl(piece.text) : std::nullopt;
        if (!safe) {
            appendHtmlEscaped(out, piece.text);
            continue;
        }
        appendSafeLinkStart(out, *safe);
        appendHtmlEscaped(out, piece.text);
        out += "</a>";
    }
}

}  // namespace okarchive
