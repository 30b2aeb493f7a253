#include "exporters/HtmlText.h"

#include <array>
#include <cstdint>

#include "domain/Utf8.h"

namespace okarchive {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// 0: copy as is; 1: escape or replace (ASCII); 2: start of a multi-byte sequence (validate).
constexpr std::array<std::uint8_t, 256> kClass = [] {
    std::array<std::uint8_t, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = 1;
    t['\t'] = t['\n'] = t['\r'] = 0;
    t['&'] = t['<'] = t['>'] = t['"'] = t['\''] = t[0x7F] = 1;
    for (int c = 0x80; c < 0x100; ++c) t[c] = 2;
    return t;
}();

}  // namespace

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8SequenceLength(text, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

void appendHtmlEscaped(std::string& out, std::string_view text) {
    const char* s = text.data();
    const std::size_t n = text.size();
    std::size_t run = 0;  // start of the pending run of bytes copied as they are
    for (std::size_t i = 0; i < n;) {
        const std::uint8_t cls = kClass[static_cast<unsigned char>(s[i])];
        if (cls == 0) {
            ++i;
            continue;
        }
        if (cls == 2) {
            const std::size_t len = utf8SequenceLength(text, i);
            if (len != 0) {
                i += len;
                continue;
            }
            if (const std::size_t surrogate = storedSurrogateLength(text, i)) {  // one U+FFFD, as in every export
                out.append(s + run, i - run);
                out += kReplacement;
                i += surrogate;
                run = i;
                continue;
            }
        }
        out.append(s + run, i - run);
        switch (s[i]) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += kReplacement;  // NUL, controls, DEL, invalid UTF-8 (one per bad byte)
        }
        ++i;
        run = i;
    }
    out.append(s + run, n - run);
}

std::string htmlEscaped(std::string_view text) {
    std::string out;
    appendHtmlEscaped(out, text);
    return out;
}

void appendUrlComponent(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '.' || c == '_' || c == '~' || c == ':' || c == '@' || c == '!' || c == '$' ||
                           c == '*' || c == ',' || c == ';' || c == '=' || c == '+';
        if (plain) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
}

std::string_view utf8Prefix(std::string_view text, std::size_t maxChars, bool* cut) {
    std::size_t i = 0, chars = 0;
    while (i < text.size() && chars < maxChars) {
        const std::size_t len = utf8SequenceLength(text, i);
        i += len == 0 ? 1 : len;
        ++chars;
    }
    if (cut) *cut = i < text.size();
    return text.substr(0, i);
}

void appendHtmlHead(std::string& out, std::string_view lang, std::string_view imgSrc, std::string_view mediaSrc) {
    out += "<!DOCTYPE html>\n<html";
    if (!lang.empty()) {
        out += " lang=\"";
        appendHtmlEscaped(out, lang);
        out += '"';
    }
    out +=
        ">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none'; "
        "object-src 'none'; style-src 'unsafe-inline'; img-src ";
    out += imgSrc;
    if (!mediaSrc.empty()) {
        out += "; media-src ";
        out += mediaSrc;
    }
    out +=
        "; base-uri 'none'; form-action 'none'\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<meta http-equiv=\"x-dns-prefetch-control\" content=\"off\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"okarchive\">\n<title>";
}

}  // namespace okarchive
