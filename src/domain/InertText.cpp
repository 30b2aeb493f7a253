#include "domain/InertText.h"

namespace okarchive {
namespace {

/// The length of the well-formed UTF-8 sequence at the start of `s` and its code point; 0 if it is not one
/// (a stray continuation byte, a cut sequence, an overlong form, a surrogate, or past U+10FFFF).
std::size_t decodeUtf8(std::string_view s, char32_t& cp) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) {
        cp = lead;
        return 1;
    }
    std::size_t length = 0;
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
        length = 3;
    else if (lead >= 0xF0 && lead <= 0xF4)
        length = 4;
    else
        return 0;  // a continuation byte, or a lead byte of an overlong or too large form
    cp = lead & (0x7Fu >> length);
    if (s.size() < length) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i) & 0x3Fu);
    }
    const bool overlong = (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return length;
}

/// A code point that steers a terminal or the order text is shown in.
bool isActive(char32_t cp, bool keepNewlines) {
    if (cp == '\n') return !keepNewlines;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return true;
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

std::string inert(std::string_view text, std::size_t maxChars, bool keepNewlines) {
    std::string out;
    out.reserve(text.size());
    std::size_t chars = 0;
    while (!text.empty()) {
        if (chars++ == maxChars) return out + "...";
        char32_t cp = 0;
        const std::size_t length = decodeUtf8(text, cp);
        if (length == 0 || isActive(cp, keepNewlines))
            out += '?';
        else
            out.append(text.substr(0, length));
        text.remove_prefix(length == 0 ? 1 : length);
    }
    return out;
}

}  // namespace

std::string inertText(std::string_view text, std::size_t maxChars) { return inert(text, maxChars, false); }

std::string inertLines(std::string_view text) { return inert(text, SIZE_MAX, true); }

}  // namespace okarchive
