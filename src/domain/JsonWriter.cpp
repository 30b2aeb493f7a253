#include "domain/JsonWriter.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "domain/JsonText.h"

namespace okarchive {
namespace {

[[noreturn]] void misuse(const char* what) { throw std::logic_error(std::string("JsonWriter: ") + what); }

template <typename Integer>
void appendInteger(std::string& out, Integer number) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, number);
    out.append(buf, end);
}

}  // namespace

void JsonWriter::topLevelValue() {
    if (_done) misuse("a second top-level value");
    beforeToken();
}

void JsonWriter::misplacedKey() const {
    if (_depth == 0 || _frames[_depth - 1] != Frame::Object) misuse("a key outside an object");
    misuse("a key where a value is due");
}

void JsonWriter::valueWithoutKey() { misuse("a value inside an object without a key"); }

void JsonWriter::appendKey(std::string_view name) {
    if (!isPlainJsonText(name)) {
        appendString(name);
        _out += ':';
        return;
    }
    // Keys are nearly always plain names: the quoted key and its colon in one piece.
    const std::size_t at = _out.size();
    _out.resize(at + name.size() + 3);
    char* p = _out.data() + at;
    *p++ = '"';
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = '"';
    *p = ':';
}

void JsonWriter::appendString(std::string_view text) { appendJsonString(_out, text, _fidelity); }

void JsonWriter::push(Frame frame, char open) {
    if (_depth == kMaxDepth) misuse("nesting deeper than 64 levels");
    beforeValue();
    _out += open;
    _frames[_depth++] = frame;
    _first = true;
    _keyDue = frame == Frame::Object;
}

void JsonWriter::pop(Frame frame, char close) {
    if (_depth == 0 || _frames[_depth - 1] != frame)
        misuse(frame == Frame::Object ? "endObject() without its beginObject()"
                                      : "endArray() without its beginArray()");
    if (frame == Frame::Object && !_keyDue) misuse("a key without its value");
    beforeToken();
    _out += close;
    --_depth;
    _first = false;
    _keyDue = _depth > 0 && _frames[_depth - 1] == Frame::Object;
    _done = _depth == 0;
}

JsonWriter& JsonWriter::beginObject() {
    push(Frame::Object, '{');
    return *this;
}

JsonWriter& JsonWriter::endObject() {
    pop(Frame::Object, '}');
    return *this;
}

JsonWriter& JsonWriter::beginArray() {
    push(Frame::Array, '[');
    return *this;
}

JsonWriter& JsonWriter::endArray() {
    pop(Frame::Array, ']');
    return *this;
}

JsonWriter& JsonWriter::value(const std::optional<std::string>& text) { return text ? value(*text) : null(); }

JsonWriter& JsonWriter::integer(std::int64_t number) {
    beforeValue();
    appendInteger(_out, number);
    _done = _depth == 0;
    return *this;
}

JsonWriter& JsonWriter::integer(std::uint64_t number) {
    beforeValue();
    appendInteger(_out, number);
    _done = _depth == 0;
    return *this;
}

JsonWriter& JsonWriter::value(double number) {
    if (!std::isfinite(number)) return null();
    beforeValue();
    fmt::format_to(std::back_inserter(_out), "{}", number);
    _done = _depth == 0;
    return *this;
}

void JsonWriter::literal(std::string_view token) {
    beforeValue();
    _out += token;
    _done = _depth == 0;
}

JsonWriter& JsonWriter::value(bool flag) {
    literal(flag ? "true" : "false");
    return *this;
}

JsonWriter& JsonWriter::null() {
    literal("null");
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    if (json.empty()) misuse("an empty raw value");
    beforeValue();
    if (_fidelity == JsonFidelity::Valid)
        appendValidJson(_out, json);
    else
        _out += json;
    _done = _depth == 0;
    return *this;
}

JsonWriter& JsonWriter::lineBreak() {
    _newline = true;
    return *this;
}

}  // namespace okarchive
