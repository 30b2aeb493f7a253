#include "AttachmentUrl.h"

namespace okarchive {
namespace {

/// Just enough JSON to walk one object's members: strings are decoded, other values skipped.
class Scanner {
public:
    explicit Scanner(std::string_view text) : _s(text) {}

    bool eat(char c) {
        skipSpace();
        if (_i < _s.size() && _s[_i] == c) {
            ++_i;
            return true;
        }
        return false;
    }

    bool at(char c) {
        skipSpace();
        return _i < _s.size() && _s[_i] == c;
    }

    /// A string literal at the current position, decoded; nothing if malformed.
    std::optional<std::string> string() {
        if (!eat('"')) return std::nullopt;
        std::string out;
        while (_i < _s.size()) {
            char c = _s[_i++];
            if (c == '"') return out;
            if (c != '\\') {
                out += c;  // raw bytes pass through, valid UTF-8 or not
                continue;
            }
            if (_i >= _s.size()) return std::nullopt;
            char e = _s[_i++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    auto code = hex4();
                    if (!code) return std::nullopt;
                    unsigned cp = *code;
                    if (cp >= 0xD800 && cp <= 0xDBFF && _i + 1 < _s.size() && _s[_i] == '\\' && _s[_i + 1] == 'u') {
                        std::size_t save = _i;
                        _i += 2;
                        auto low = hex4();
                        if (low && *low >= 0xDC00 && *low <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
                        else _i = save;  // a lone high surrogate: keep it as its own code point
                    }
                    appendUtf8(out, cp);
                    break;
                }
                default: return std::nullopt;
            }
        }
        return std::nullopt;
    }

    /// Skips one value of any kind; false if malformed or truncated.
    bool skipValue() {
        skipSpace();
        if (_i >= _s.size()) return false;
        char c = _s[_i];
        if (c == '"') return string().has_value();
        if (c == '{' || c == '[') {
            int depth = 0;
            while (_i < _s.size()) {
                char d = _s[_i];
                if (d == '"') {
                    if (!string()) return false;
                    continue;
                }
                ++_i;
                if (d == '{' || d == '[') ++depth;
                else if ((d == '}' || d == ']') && --depth == 0) return true;
            }
            return false;
        }
        std::size_t start = _i;
        while (_i < _s.size() && _s[_i] != ',' && _s[_i] != '}' && _s[_i] != ']' && !isSpace(_s[_i])) ++_i;
        return _i > start;
    }

private:
    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

    void skipSpace() {
        while (_i < _s.size() && isSpace(_s[_i])) ++_i;
    }

    std::optional<unsigned> hex4() {
        if (_i + 4 > _s.size()) return std::nullopt;
        unsigned value = 0;
        for (int k = 0; k < 4; ++k) {
            char h = _s[_i++];
            value <<= 4;
            if (h >= '0' && h <= '9') value |= unsigned(h - '0');
            else if (h >= 'a' && h <= 'f') value |= unsigned(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') value |= unsigned(h - 'A' + 10);
            else return std::nullopt;
        }
        return value;
    }

    static void appendUtf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string_view _s;
    std::size_t _i = 0;
};

}  // namespace

std::optional<std::string> attachmentUrl(std::string_view payloadJson) {
    Scanner scanner(payloadJson);
    if (!scanner.eat('{') || scanner.eat('}')) return std::nullopt;
    while (true) {
        auto key = scanner.string();
        if (!key || !scanner.eat(':')) return std::nullopt;
        if (*key == "url" && scanner.at('"')) return scanner.string();
        if (!scanner.skipValue() || !scanner.eat(',')) return std::nullopt;
    }
}

}  // namespace okarchive
