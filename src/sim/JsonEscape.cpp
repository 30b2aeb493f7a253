#include "sim/JsonEscape.h"

#include <cstdint>

namespace okarchive::sim {
namespace {

void appendHex4(std::string& out, unsigned code, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    const char escape[6] = {'\\',
                            'u',
                            digits[(code >> 12) & 0xF],
                            digits[(code >> 8) & 0xF],
                            digits[(code >> 4) & 0xF],
                            digits[code & 0xF]};
    out.append(escape, 6);
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
        const std::uint32_t code =
            ((c & 0x07u) << 18) | ((c1 & 0x3Fu) << 12) | ((byte(i + 2) & 0x3Fu) << 6) | (byte(i + 3) & 0x3Fu);
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

/// The end of the run of printable ASCII from `i` that needs no escape (with `slash`, '/' needs one).
std::size_t plainRunEnd(std::string_view text, std::size_t i, bool slash) {
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\' || (slash && c == '/')) break;
        ++i;
    }
    return i;
}

void appendAsciiUnit(std::string& out, unsigned char c, EscapeStyle style, bool upper) {
    if (const char* esc = shortEscape(c)) {
        out += esc;
    } else if (c == '/') {
        out += "\\/";
    } else if (c < 0x20 || (c == 0x7F && style != EscapeStyle::Plain)) {
        appendHex4(out, c, upper);
    } else {
        out += static_cast<char>(c);
    }
}

/// One unit of `text` at `i`, as the style writes it: invalid bytes as U+FFFD, lone surrogates as themselves,
/// non-ASCII raw (Plain, EscapeSlash) or as \u escapes with surrogate pairs above the BMP.
void appendUnit(std::string& out, std::string_view text, std::size_t i, const Unit& unit, EscapeStyle style) {
    const bool upper = style == EscapeStyle::UnicodeUpper;
    const bool unicode = style == EscapeStyle::UnicodeLower || style == EscapeStyle::UnicodeUpper;
    if (unit.kind == Unit::Kind::Invalid) {
        appendHex4(out, 0xFFFD, upper);
    } else if (unit.kind == Unit::Kind::Surrogate) {
        appendHex4(out, unit.code, upper);
    } else if (unit.code < 0x80) {
        appendAsciiUnit(out, static_cast<unsigned char>(unit.code), style, upper);
    } else if (!unicode) {
        out.append(text, i, unit.length);
    } else if (unit.code >= 0x10000) {
        const std::uint32_t v = unit.code - 0x10000;
        appendHex4(out, 0xD800 + (v >> 10), upper);
        appendHex4(out, 0xDC00 + (v & 0x3FF), upper);
    } else {
        appendHex4(out, unit.code, upper);
    }
}

}  // namespace

void appendWireString(std::string& out, std::string_view text, EscapeStyle style) {
    const bool slash = style == EscapeStyle::EscapeSlash;
    out.reserve(out.size() + text.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        // Fast path: a run of printable ASCII that needs no escape in this style.
        if (const std::size_t run = plainRunEnd(text, i, slash); run > i) {
            out.append(text, i, run - i);
            i = run;
            continue;
        }
        const Unit unit = nextUnit(text, i);
        appendUnit(out, text, i, unit, style);
        i += unit.length;
    }
    out += '"';
}

void appendCanonicalString(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        std::size_t run = i;
        while (run < text.size()) {
            const auto c = static_cast<unsigned char>(text[run]);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') break;
            ++run;
        }
        if (run > i) {
            out.append(text, i, run - i);
            i = run;
            continue;
        }
        const Unit unit = nextUnit(text, i);
        if (unit.kind == Unit::Kind::Invalid) {
            out += "\xEF\xBF\xBD";
        } else if (unit.kind == Unit::Kind::Surrogate) {
            appendHex4(out, unit.code, false);
        } else if (unit.code < 0x80) {
            const auto c = static_cast<unsigned char>(unit.code);
            if (const char* esc = shortEscape(c))
                out += esc;
            else if (c < 0x20 || c == 0x7F)
                appendHex4(out, c, false);
            else
                out += static_cast<char>(c);
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
