#include "JsonText.h"

#include <array>
#include <cstdio>

namespace okarchive {
namespace {

void appendEscape(std::string& out, unsigned code) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", code);
    out += buf;
}

/// Length of a well-formed UTF-8 sequence at text[i] (1..4), 0 if invalid. Surrogates (ED A0..BF) count as invalid.
std::size_t utf8Length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    auto cont = [&](std::size_t k) { return k < text.size() && (byte(k) & 0xC0) == 0x80; };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(i + 1) || !cont(i + 2)) return 0;
        unsigned char c1 = byte(i + 1);
        if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
        if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
        unsigned char c1 = byte(i + 1);
        if (c == 0xF0 && c1 < 0x90) return 0;
        if (c == 0xF4 && c1 >= 0x90) return 0;
        return 4;
    }
    return 0;
}

/// Which bytes are copied as they are: printable ASCII but the quote and the backslash.
constexpr std::array<bool, 256> kPlainAscii = [] {
    std::array<bool, 256> plain{};
    for (unsigned c = 0x20; c < 0x7F; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

bool isPlainAscii(unsigned char c) { return kPlainAscii[c]; }

/// The escape of an ASCII byte that is not plain.
void appendAsciiEscape(std::string& out, unsigned char c) {
    switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default: appendEscape(out, c);  // other controls and DEL
    }
}

/// Replaces the invalid UTF-8 at text[i]: a stored surrogate (ED A0..BF xx) becomes its \uD8xx escape again, any
/// other byte U+FFFD. Returns the bytes consumed.
std::size_t appendInvalid(std::string& out, std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    if (byte(i) == 0xED && i + 2 < text.size() && (byte(i + 1) & 0xE0) == 0xA0 && (byte(i + 2) & 0xC0) == 0x80) {
        appendEscape(out, 0xD000u | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu));
        return 3;
    }
    out += "\xEF\xBF\xBD";
    return 1;
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
    out += '"';
    std::size_t copied = 0, i = 0;  // text[copied, i) is valid and needs no escape: copied in one piece
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (isPlainAscii(c)) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
            i += 2;  // two-byte sequences (Cyrillic): the common non-ASCII case
            continue;
        }
        const std::size_t length = c < 0x80 ? 0 : utf8Length(text, i);
        if (length > 0) {
            i += length;
            continue;
        }
        out.append(text.data() + copied, i - copied);
        if (c < 0x80) {
            appendAsciiEscape(out, c);
            ++i;
        } else {
            i += appendInvalid(out, text, i);
        }
        copied = i;
    }
    out.append(text.data() + copied, i - copied);
    out += '"';
}

bool isPlainJsonText(std::string_view text) {
    for (const char c : text)
        if (!isPlainAscii(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string jsonString(std::string_view text) {
    std::string out;
    appendJsonString(out, text);
    return out;
}

}  // namespace okarchive
