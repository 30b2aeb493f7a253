#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "domain/JsonText.h"

namespace okarchive {

/// Streams one JSON value (usually an object) into a string it does not own, inserting the separators itself
/// (rapidjson's Writer is the model). Strings are escaped by appendJsonString (JsonText.h), so every writer of the
/// project escapes alike; by default (JsonFidelity::Valid) the output is valid for every strict reader, spliced raw
/// values included, and JsonFidelity::Verbatim keeps NUL and lone surrogates as escapes. Misuse cannot produce
/// malformed output: a key outside an object, a value where a key is due, an end that does not match its begin, or a
/// second top-level value throws std::logic_error before anything is appended. The output string may be cleared between
/// calls (streaming writers flush it): the writer keeps only its nesting state, never positions in the string.
class JsonWriter {
public:
    explicit JsonWriter(std::string& out, JsonFidelity fidelity = JsonFidelity::Valid)
        : _out(out), _fidelity(fidelity) {}

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    /// The next member's name; only inside an object, before each value.
    JsonWriter& key(std::string_view name) {
        if (_depth == 0 || _frames[_depth - 1] != Frame::Object || !_keyDue) misplacedKey();
        if (!_first) _out += ',';
        beforeToken();
        appendKey(name);
        _first = false;
        _keyDue = false;
        return *this;
    }

    JsonWriter& value(std::string_view text) {  ///< a string
        beforeValue();
        appendString(text);
        _done = _depth == 0;
        return *this;
    }
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::optional<std::string>& text);  ///< a string, or null
    /// An integer, exactly (also beyond 2^53).
    template <std::integral Integer>
    requires(!std::same_as<Integer, bool>) JsonWriter& value(Integer number) {
        if constexpr (std::is_signed_v<Integer>)
            return integer(static_cast<std::int64_t>(number));
        else
            return integer(static_cast<std::uint64_t>(number));
    }
    JsonWriter& value(double number);  ///< shortest round-trip text ({fmt}); null if not finite (JSON has no NaN)
    JsonWriter& value(bool flag);
    JsonWriter& null();
    /// Splices `json`, which the caller guarantees is one complete JSON value (e.g. a payload as the API sent it), as
    /// the next value; made valid (appendValidJson) unless the writer is Verbatim. Empty text is refused.
    JsonWriter& raw(std::string_view json);

    /// Puts a line break before the next token (after its comma, if one is due): for readable, line-oriented output.
    JsonWriter& lineBreak();

    bool complete() const { return _done; }  ///< one whole top-level value has been written
    std::size_t depth() const { return _depth; }

private:
    enum class Frame : std::uint8_t { Object, Array };
    static constexpr std::size_t kMaxDepth = 64;

    JsonWriter& integer(std::int64_t number);
    JsonWriter& integer(std::uint64_t number);
    /// The separator (and pending line break) before a value; throws where no value may go.
    void beforeValue() {
        if (_depth == 0 || _done) return topLevelValue();
        if (_frames[_depth - 1] == Frame::Object) {
            if (_keyDue) valueWithoutKey();
            beforeToken();
            _keyDue = true;  // the value written now completes the member
            return;
        }
        if (!_first) _out += ',';
        beforeToken();
        _first = false;
    }
    void beforeToken() {
        if (!_newline) return;
        _out += '\n';
        _newline = false;
    }
    void topLevelValue();
    [[noreturn]] void misplacedKey() const;
    [[noreturn]] static void valueWithoutKey();
    void appendKey(std::string_view name);
    void appendString(std::string_view text);
    void push(Frame frame, char open);
    void pop(Frame frame, char close);

    void literal(std::string_view token);  // true, false, null

    std::string& _out;
    JsonFidelity _fidelity;
    std::array<Frame, kMaxDepth> _frames{};
    std::size_t _depth = 0;
    bool _first = true;     // nothing written yet in the innermost container
    bool _keyDue = false;   // inside an object, the next token must be a key
    bool _done = false;     // the top-level value is complete
    bool _newline = false;  // lineBreak() pending
};

}  // namespace okarchive
