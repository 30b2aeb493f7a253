#include "exporters/TextLinks.h"

#include <cctype>

namespace okarchive {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

/// The length of the scheme and "//" if an http(s) URL starts at `pos`, else 0.
std::size_t schemeAt(std::string_view text, std::size_t pos) {
    if (pos > 0 && std::isalnum(static_cast<unsigned char>(text[pos - 1]))) return 0;
    const std::string_view rest = text.substr(pos);
    if (startsWithNoCase(rest, "https://")) return 8;
    if (startsWithNoCase(rest, "http://")) return 7;
    return 0;
}

bool endsUrl(unsigned char c) { return c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == '"'; }

/// True if text[pos] starts a no-break or ideographic space, a line or paragraph separator, or a quotation mark
/// (« » ‘ ’ “ ” ...): a Russian text quotes a link as «https://...», and none of these belong to a URL unencoded.
bool endsUrlUnicode(std::string_view text, std::size_t pos) {
    const std::string_view rest = text.substr(pos, 3);
    if (rest.size() >= 2 && rest[0] == '\xC2') return rest[1] == '\xA0' || rest[1] == '\xAB' || rest[1] == '\xBB';
    if (rest.size() < 3) return false;
    if (rest[0] == '\xE2' && rest[1] == '\x80')
        return (rest[2] >= '\x98' && rest[2] <= '\x9F') || rest[2] == '\xA8' || rest[2] == '\xA9';
    return rest == "\xE3\x80\x80";
}

/// Drops trailing punctuation and unbalanced closing brackets from the URL text[start, end); returns the new end.
std::size_t trimUrlEnd(std::string_view text, std::size_t start, std::size_t end) {
    while (end > start) {
        const char last = text[end - 1];
        if (std::string_view(".,;:!?'*").find(last) != std::string_view::npos) {
            --end;
            continue;
        }
        const char open = last == ')' ? '(' : last == ']' ? '[' : last == '}' ? '{' : '\0';
        if (!open) break;
        const std::string_view url = text.substr(start, end - start);
        std::size_t opens = 0, closes = 0;
        for (char c : url) opens += c == open, closes += c == last;
        if (closes <= opens) break;
        --end;
    }
    return end;
}

}  // namespace

std::vector<TextPiece> splitLinks(std::string_view text) {
    std::vector<TextPiece> pieces;
    std::size_t plainStart = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t scheme = schemeAt(text, pos);
        if (!scheme) {
            ++pos;
            continue;
        }
        std::size_t end = pos + scheme;
        while (end < text.size() && !endsUrl(static_cast<unsigned char>(text[end])) && !endsUrlUnicode(text, end))
            ++end;
        end = trimUrlEnd(text, pos, end);
        if (end == pos + scheme || text[pos + scheme] == '/') {  // no host
            pos += scheme;
            continue;
        }
        if (pos > plainStart) pieces.push_back({text.substr(plainStart, pos - plainStart), false});
        pieces.push_back({text.substr(pos, end - pos), true});
        plainStart = pos = end;
    }
    if (plainStart < text.size()) pieces.push_back({text.substr(plainStart), false});
    return pieces;
}

}  // namespace okarchive
