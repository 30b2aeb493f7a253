#include "sim/JsonEscape.h"

#include <cstdint>

namespace okarchive::sim {
namespace {

void appendHex4(std::string& out, unsigned code, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    out += "\\u";
    out += digits[(code >> 12) & 0xF];
    out += digits[(code >> 8) & 0xF];
    out += digits[(code >> 4) & 0xF];
    out += digits[code & 0xF];
}

/// One decoded unit of the text: a code point, a stored lone surrogate, or an invalid byte.
struct Unit {
    enum class Kind { CodePoint, Surrogate, Invalid } kind;
    std::uint32_t code;
    std::size_t length;
};

Unit nextUnit(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    auto cont = [&](std::size_t k) { return k < text.size() && (byte(k) & 0xC0) == 0x80; };
    const unsigned char c = byte(i);
    if (c < 0x80) return {Unit::Kind::CodePoint, c, 1};
    if (c >= 0xC2 && c <= 0xDF && cont(i + 1))
        return {Unit::Kind::CodePoint, ((c & 0x1Fu) << 6) | (byte(i + 1) & 0x3Fu), 2};
    if (c >= 0xE0 && c <= 0xEF && cont(i + 1) && cont(i + 2)) {
        const unsigned char c1 = byte(i + 1);
        const std::uint32_t code = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu);
        if (c == 0xE0 && c1 < 0xA0) return {Unit::Kind::Invalid, c, 1};
        if (c == 0xED && c1 >= 0xA0) return {Unit::Kind::Surrogate, code, 3};
        return {Unit::Kind::CodePoint, code, 3};
    }
    if (c >= 0xF0 && c <= 0xF4 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
        const unsigned char c1 = byte(i + 1);
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) return {Unit::Kind::Invalid, c, 1};
        const std::uint32_t code = ((c & 0x07u) << 18) | ((c1 & 0x3Fu) << 12) | ((byte(i + 2) & 0x3Fu) << 6) |
                                   (byte(i + 3) & 0x3Fu);
        return {Unit::Kind::CodePoint, code, 4};
    }
    return {Unit::Kind::Invalid, c, 1};
}

/// Short escape for the ASCII characters JSON gives one, or nullptr.
const char* shortEscape(unsigned char c) {
    switch (c) {
        case '"': return "\\\"";
        case '\\': return "\\\\";
        case '\n': return "\\n";
        case '\r': return "\\r";
        case '\t': return "\\t";
        case '\b': return "\\b";
        case '\f': return "\\f";
        default: return nullptr;
    }
}

}  // namespace

void appendWireString(std::string& out, std::string_view text, EscapeStyle style) {
    const bool upper = style == EscapeStyle::UnicodeUpper;
    const bool unicode = style == EscapeStyle::UnicodeLower || style == EscapeStyle::UnicodeUpper;
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const Unit unit = nextUnit(text, i);
        if (unit.kind == Unit::Kind::Invalid) {
            appendHex4(out, 0xFFFD, upper);
        } else if (unit.kind == Unit::Kind::Surrogate) {
            appendHex4(out, unit.code, upper);
        } else if (unit.code < 0x80) {
            const auto c = static_cast<unsigned char>(unit.code);
            if (const char* esc = shortEscape(c)) {
                out += esc;
            } else if (c == '/' && style == EscapeStyle::EscapeSlash) {
                out += "\\/";
            } else if (c < 0x20 || (c == 0x7F && style != EscapeStyle::Plain)) {
                appendHex4(out, c, upper);
            } else {
                out += static_cast<char>(c);
            }
        } else if (!unicode) {
            out.append(text, i, unit.length);
        } else if (unit.code >= 0x10000) {
            const std::uint32_t v = unit.code - 0x10000;
            appendHex4(out, 0xD800 + (v >> 10), upper);
            appendHex4(out, 0xDC00 + (v & 0x3FF), upper);
        } else {
            appendHex4(out, unit.code, upper);
        }
        i += unit.length;
    }
    out += '"';
}

void appendCanonicalString(std::string& out, std::string_view text) {
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const Unit unit = nextUnit(text, i);
        if (unit.kind == Unit::Kind::Invalid) {
            out += "\xEF\xBF\xBD";
        } else if (unit.kind == Unit::Kind::Surrogate) {
            appendHex4(out, unit.code, false);
        } else if (unit.code < 0x80) {
            const auto c = static_cast<unsigned char>(unit.code);
            if (const char* esc = shortEscape(c)) out += esc;
            else if (c < 0x20 || c == 0x7F) appendHex4(out, c, false);
            else out += static_cast<char>(c);
        } else {
            out.append(text, i, unit.length);
        }
        i += unit.length;
    }
    out += '"';
}

std::string canonicalString(std::string_view text) {
    std::string out;
    appendCanonicalString(out, text);
    return out;
}

}  // namespace okarchive::sim
