#include "JsonText.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "domain/Utf8.h"

namespace okarchive {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void appendEscape(std::string& out, unsigned code) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", code);
    out += buf;
}

/// Which bytes are copied as they are: printable ASCII but the quote and the backslash.
constexpr std::array<bool, 256> kPlainAscii = [] {
    std::array<bool, 256> plain{};
    for (unsigned c = 0x20; c < 0x7F; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

bool isPlainAscii(unsigned char c) { return kPlainAscii[c]; }

/// The escape of an ASCII byte that is not plain (NUL only when Verbatim: Valid replaces it).
void appendAsciiEscape(std::string& out, unsigned char c, JsonFidelity fidelity) {
    switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\0':
            if (fidelity == JsonFidelity::Valid) {
                out += kReplacement;
                break;
            }
            [[fallthrough]];
        default: appendEscape(out, c);  // other controls and DEL
    }
}

/// Replaces the invalid UTF-8 at text[i]: a stored surrogate (ED A0..BF xx) becomes U+FFFD, or its \uD8xx escape
/// again when Verbatim; any other byte U+FFFD. Returns the bytes consumed.
std::size_t appendInvalid(std::string& out, std::string_view text, std::size_t i, JsonFidelity fidelity) {
    const std::size_t surrogate = storedSurrogateLength(text, i);
    if (surrogate && fidelity == JsonFidelity::Verbatim) {
        auto byte = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(text[k])); };
        appendEscape(out, 0xD000u | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu));
        return surrogate;
    }
    out += kReplacement;
    return surrogate ? surrogate : 1;
}

/// The value of the four hex digits at json[i], or -1 if there are not four.
long hex4(std::string_view json, std::size_t i) {
    if (i + 4 > json.size()) return -1;
    long value = 0;
    for (std::size_t k = i; k < i + 4; ++k) {
        const char c = json[k];
        const int digit = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        if (digit < 0) return -1;
        value = value * 16 + digit;
    }
    return value;
}

/// The length of the escape at json[i] (a backslash) to copy as it is, or 0 when it is \u0000 or a lone surrogate.
std::size_t keptEscapeLength(std::string_view json, std::size_t i) {
    if (i + 1 >= json.size() || json[i + 1] != 'u') return 2;  // \" \\ \n ...: never a problem
    const long code = hex4(json, i + 2);
    if (code < 0) return 2;  // not an escape the JSON reader took; copied as it is
    if (code == 0 || (code >= 0xDC00 && code <= 0xDFFF)) return 0;
    if (code < 0xD800 || code > 0xDBFF) return 6;
    const bool paired = i + 7 < json.size() && json[i + 6] == '\\' && json[i + 7] == 'u' &&
                        hex4(json, i + 8) >= 0xDC00 && hex4(json, i + 8) <= 0xDFFF;
    return paired ? 12 : 0;
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text, JsonFidelity fidelity) {
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
        const std::size_t length = c < 0x80 ? 0 : utf8SequenceLength(text, i);
        if (length > 0) {
            i += length;
            continue;
        }
        out.append(text.data() + copied, i - copied);
        if (c < 0x80) {
            appendAsciiEscape(out, c, fidelity);
            ++i;
        } else {
            i += appendInvalid(out, text, i, fidelity);
        }
        copied = i;
    }
    out.append(text.data() + copied, i - copied);
    out += '"';
}

void appendValidJson(std::string& out, std::string_view json) {
    std::size_t copied = 0, i = 0;  // json[copied, i) is kept: copied in one piece
    while (i < json.size()) {
        const auto c = static_cast<unsigned char>(json[i]);
        std::size_t kept = c == '\\' ? keptEscapeLength(json, i) : c < 0x80 ? 1 : utf8SequenceLength(json, i);
        if (kept > 0) {
            i += std::min(kept, json.size() - i);
            continue;
        }
        out.append(json.data() + copied, i - copied);
        if (c == '\\') {
            out += "\\ufffd";
            i += 6;
        } else {
            i += appendInvalid(out, json, i, JsonFidelity::Valid);
        }
        copied = i;
    }
    out.append(json.data() + copied, i - copied);
}

bool isPlainJsonText(std::string_view text) {
    for (const char c : text)
        if (!isPlainAscii(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string jsonString(std::string_view text, JsonFidelity fidelity) {
    std::string out;
    appendJsonString(out, text, fidelity);
    return out;
}

}  // namespace okarchive
