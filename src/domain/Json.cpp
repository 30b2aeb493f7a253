#include "domain/Json.h"

#include <array>
#include <charconv>
#include <iterator>
#include <cstring>

#include <fmt/format.h>

namespace okarchive {
namespace {

constexpr int kMaxDepth = 512;

const char* typeName(JsonValue::Type type) {
    switch (type) {
        case JsonValue::Type::Null: return "null";
        case JsonValue::Type::Bool: return "a boolean";
        case JsonValue::Type::Number: return "a number";
        case JsonValue::Type::String: return "a string";
        case JsonValue::Type::Array: return "an array";
        case JsonValue::Type::Object: return "an object";
    }
    return "?";
}

/// Appends code point `cp` (0..0x10FFFF) as UTF-8. Surrogates (D800..DFFF) get the same 3-byte form as any other
/// BMP code point (generalized UTF-8: ED A0..BF xx), so a lone surrogate escape survives a round trip.
void appendUtf8(std::string& out, unsigned cp) {
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

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Bytes that end a plain run inside a string: '"', '\\' and raw control characters.
constexpr std::array<bool, 256> kStringStop = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c) table[c] = true;
    table['"'] = true;
    table['\\'] = true;
    return table;
}();

std::string describeChar(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7F) return fmt::format("'{}'", c);
    return fmt::format("byte 0x{:02X}", u);
}

}  // namespace

/// Recursive-descent RFC 8259 parser over a string_view; every node gets its source span as raw().
class JsonParser {
public:
    JsonParser(std::string_view text, std::size_t maxValues)
        : _s(text.data()), _n(text.size()), _maxValues(maxValues) {}

    void parseDocument(JsonValue& root) {
        if (_n >= 3 && std::memcmp(_s, "\xEF\xBB\xBF", 3) == 0) _p = 3;  // RFC 8259 8.1: a BOM may be ignored
        skipWhitespace();
        parseValue(root, 0);
        skipWhitespace();
        if (_p != _n) fail(fmt::format("unexpected {} after the JSON value", describeChar(_s[_p])));
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw JsonParseError(fmt::format("invalid JSON at byte offset {}: {}", _p, what));
    }
    [[noreturn]] void failEnd() const { fail("unexpected end of input"); }

    void skipWhitespace() {
        while (_p < _n) {
            char c = _s[_p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
            ++_p;
        }
    }

    void parseValue(JsonValue& v, int depth) {
        if (_p >= _n) failEnd();
        if (++_values > _maxValues)
            throw JsonTooManyValuesError(
                fmt::format("the JSON text holds more than {} values (the limit of its reader), at byte offset {}",
                            _maxValues, _p));
        std::size_t start = _p;
        char c = _s[_p];
        switch (c) {
            case '{': parseObject(v, depth); break;
            case '[': parseArray(v, depth); break;
            case '"':
                v._type = JsonValue::Type::String;
                parseString(v._value.emplace<std::string>());
                break;
            case 't':
                parseLiteral("true");
                v._type = JsonValue::Type::Bool;
                v._bool = true;
                break;
            case 'f':
                parseLiteral("false");
                v._type = JsonValue::Type::Bool;
                v._bool = false;
                break;
            case 'n':
                parseLiteral("null");
                v._type = JsonValue::Type::Null;
                break;
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                    parseNumber(v);
                else
                    fail(fmt::format("unexpected {} where a value was expected", describeChar(c)));
        }
        v._raw = std::string_view(_s + start, _p - start);
    }

    void parseLiteral(std::string_view word) {
        if (_n - _p < word.size() || std::string_view(_s + _p, word.size()) != word)
            fail(fmt::format("invalid literal (expected {})", word));
        _p += word.size();
    }

    void parseObject(JsonValue& v, int depth) {
        if (depth >= kMaxDepth) fail(fmt::format("nesting deeper than {} levels", kMaxDepth));
        v._type = JsonValue::Type::Object;
        auto& members = v._value.emplace<JsonValue::Members>();
        ++_p;
        skipWhitespace();
        if (_p < _n && _s[_p] == '}') {
            ++_p;
            return;
        }
        const std::size_t base = _memberStack.size();
        for (;;) {
            skipWhitespace();
            if (_p >= _n) failEnd();
            if (_s[_p] != '"') fail(fmt::format("expected a string key, found {}", describeChar(_s[_p])));
            std::string key;
            parseString(key);
            skipWhitespace();
            if (_p >= _n) failEnd();
            if (_s[_p] != ':') fail(fmt::format("expected ':' after an object key, found {}", describeChar(_s[_p])));
            ++_p;
            skipWhitespace();
            JsonValue child;
            parseValue(child, depth + 1);
            _memberStack.emplace_back(std::move(key), std::move(child));
            skipWhitespace();
            if (_p >= _n) failEnd();
            if (_s[_p] == ',') {
                ++_p;
                continue;
            }
            if (_s[_p] == '}') {
                ++_p;
                takeChildren(_memberStack, base, members);
                return;
            }
            fail(fmt::format("expected ',' or '}}' in an object, found {}", describeChar(_s[_p])));
        }
    }

    void parseArray(JsonValue& v, int depth) {
        if (depth >= kMaxDepth) fail(fmt::format("nesting deeper than {} levels", kMaxDepth));
        v._type = JsonValue::Type::Array;
        auto& items = v._value.emplace<JsonValue::Items>();
        ++_p;
        skipWhitespace();
        if (_p < _n && _s[_p] == ']') {
            ++_p;
            return;
        }
        const std::size_t base = _itemStack.size();
        for (;;) {
            skipWhitespace();
            JsonValue child;
            parseValue(child, depth + 1);
            _itemStack.push_back(std::move(child));
            skipWhitespace();
            if (_p >= _n) failEnd();
            if (_s[_p] == ',') {
                ++_p;
                continue;
            }
            if (_s[_p] == ']') {
                ++_p;
                takeChildren(_itemStack, base, items);
                return;
            }
            fail(fmt::format("expected ',' or ']' in an array, found {}", describeChar(_s[_p])));
        }
    }

    /// Moves the children from `stack[base..]` into their container: one exactly-sized allocation per container
    /// instead of a growing vector, or, when they are the whole stack, the stack itself (no second copy of a large
    /// array or object while it is built).
    template <class Children>
    static void takeChildren(Children& stack, std::size_t base, Children& into) {
        if (base == 0) {
            into.swap(stack);  // `into` was empty: the stack starts again with no capacity
            return;
        }
        auto first = stack.begin() + static_cast<std::ptrdiff_t>(base);
        into.assign(std::make_move_iterator(first), std::make_move_iterator(stack.end()));
        stack.erase(first, stack.end());
    }

    unsigned parseHex4() {
        unsigned cp = 0;
        for (int i = 0; i < 4; ++i) {
            if (_p >= _n) failEnd();
            int h = hexValue(_s[_p]);
            if (h < 0) fail("invalid \\u escape (expected 4 hex digits)");
            cp = (cp << 4) | static_cast<unsigned>(h);
            ++_p;
        }
        return cp;
    }

    /// At the opening quote. Decodes into `out`; raw bytes >= 0x20 are passed through untouched (even invalid UTF-8).
    void parseString(std::string& out) {
        ++_p;
        std::size_t start = _p;
        // Fast path: no escapes, copy the span once.
        for (;;) {
            while (_p < _n && !kStringStop[static_cast<unsigned char>(_s[_p])]) ++_p;
            if (_p >= _n) break;
            auto c = static_cast<unsigned char>(_s[_p]);
            if (c == '"') {
                out.assign(_s + start, _p - start);
                ++_p;
                return;
            }
            if (c == '\\') break;
            fail(fmt::format("raw control character 0x{:02X} inside a string", c));
        }
        out.assign(_s + start, _p - start);
        for (;;) {
            if (_p >= _n) failEnd();
            auto c = static_cast<unsigned char>(_s[_p]);
            if (c == '"') {
                ++_p;
                return;
            }
            if (c != '\\') {
                if (c < 0x20) fail(fmt::format("raw control character 0x{:02X} inside a string", c));
                std::size_t run = _p;
                while (_p < _n && !kStringStop[static_cast<unsigned char>(_s[_p])]) ++_p;
                out.append(_s + run, _p - run);
                continue;
            }
            parseEscape(out);
        }
    }

    /// One escape sequence at the backslash under _p, appended decoded.
    void parseEscape(std::string& out) {
        ++_p;
        if (_p >= _n) failEnd();
        char e = _s[_p++];
        switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': appendUtf8(out, parseUnicodeEscape()); break;
            default: --_p; fail(fmt::format("invalid escape \\{} in a string", describeChar(e)));
        }
    }

    /// The code point of \uXXXX after its "\u", joining a following low surrogate escape into one code point.
    unsigned parseUnicodeEscape() {
        unsigned cp = parseHex4();
        if (cp >= 0xD800 && cp <= 0xDBFF && _n - _p >= 6 && _s[_p] == '\\' && _s[_p + 1] == 'u') {
            std::size_t save = _p;
            _p += 2;
            unsigned low = parseHex4();
            if (low >= 0xDC00 && low <= 0xDFFF)
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            else
                _p = save;  // lone high surrogate; the next escape is decoded on its own
        }
        return cp;
    }

    void parseNumber(JsonValue& v) {
        std::size_t start = _p;
        bool integer = true;
        auto digit = [&] { return _p < _n && _s[_p] >= '0' && _s[_p] <= '9'; };
        if (_s[_p] == '-') ++_p;
        if (_p < _n && _s[_p] == '0') {
            ++_p;
        } else if (digit()) {
            while (digit()) ++_p;
        } else {
            fail("invalid number (expected a digit)");
        }
        if (_p < _n && _s[_p] == '.') {
            integer = false;
            ++_p;
            if (!digit()) fail("invalid number (expected a digit after '.')");
            while (digit()) ++_p;
        }
        if (_p < _n && (_s[_p] == 'e' || _s[_p] == 'E')) {
            integer = false;
            ++_p;
            if (_p < _n && (_s[_p] == '+' || _s[_p] == '-')) ++_p;
            if (!digit()) fail("invalid number (expected a digit in the exponent)");
            while (digit()) ++_p;
        }
        v._type = JsonValue::Type::Number;
        if (integer) {
            auto [ptr, ec] = std::from_chars(_s + start, _s + _p, v._int);
            v._isInt = ec == std::errc() && ptr == _s + _p;
        }
    }

    const char* _s;
    std::size_t _n;
    std::size_t _p = 0;
    const std::size_t _maxValues;
    std::size_t _values = 0;
    // Children of the objects and arrays being parsed, innermost last (reused across the whole document).
    std::vector<std::pair<std::string, JsonValue>> _memberStack;
    std::vector<JsonValue> _itemStack;
};

const std::string& JsonValue::asString() const {
    if (_type != Type::String) throw JsonParseError(fmt::format("expected a JSON string, found {}", typeName(_type)));
    return std::get<std::string>(_value);
}

bool JsonValue::isInteger() const { return _type == Type::Number && _isInt; }

std::int64_t JsonValue::asInt64() const {
    if (_type != Type::Number) throw JsonParseError(fmt::format("expected a JSON integer, found {}", typeName(_type)));
    if (!_isInt) {
        std::string_view shown = _raw.substr(0, 40);
        throw JsonParseError(fmt::format("the number {}{} is not an exact 64-bit integer", shown,
                                         shown.size() < _raw.size() ? "..." : ""));
    }
    return _int;
}

bool JsonValue::asBool() const {
    if (_type != Type::Bool) throw JsonParseError(fmt::format("expected a JSON boolean, found {}", typeName(_type)));
    return _bool;
}

const std::vector<JsonValue>& JsonValue::items() const {
    if (_type != Type::Array) throw JsonParseError(fmt::format("expected a JSON array, found {}", typeName(_type)));
    return std::get<Items>(_value);
}

const std::vector<std::pair<std::string, JsonValue>>& JsonValue::members() const {
    if (_type != Type::Object) throw JsonParseError(fmt::format("expected a JSON object, found {}", typeName(_type)));
    return std::get<Members>(_value);
}

const JsonValue* JsonValue::find(std::string_view key) const {
    // Duplicate keys: the first one wins (RFC 8259 leaves it open; raw() keeps every one anyway).
    const auto* members = std::get_if<Members>(&_value);
    if (!members) return nullptr;
    for (const auto& [name, value] : *members)
        if (name == key) return &value;
    return nullptr;
}

JsonDocument JsonDocument::parse(std::string text, std::size_t maxValues) {
    JsonDocument doc;
    doc._text = std::make_unique<std::string>(std::move(text));
    doc._root = std::make_unique<JsonValue>();
    JsonParser parser(*doc._text, maxValues);
    parser.parseDocument(*doc._root);
    return doc;
}

}  // namespace okarchive
