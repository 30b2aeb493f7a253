#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "domain/Errors.h"

namespace okarchive {

/// Malformed JSON. The message names the byte offset.
class JsonParseError : public Error {
public:
    using Error::Error;
};

/// A JSON text with more values than its reader allows (JsonDocument::parse's `maxValues`): refused for the memory it
/// would take, not for its syntax.
class JsonTooManyValuesError : public JsonParseError {
public:
    using JsonParseError::JsonParseError;
};

/// A node of a parsed JSON document. Keeps its verbatim source text (raw()) beside the decoded value, so payloads
/// and message objects can be stored exactly as received. Integers are exact 64-bit (never through a double).
/// Valid only while its JsonDocument lives.
class JsonValue {
public:
    enum class Type : std::uint8_t { Null, Bool, Number, String, Array, Object };

    Type type() const { return _type; }
    bool isNull() const { return _type == Type::Null; }
    bool isString() const { return _type == Type::String; }
    bool isObject() const { return _type == Type::Object; }
    bool isArray() const { return _type == Type::Array; }
    bool isNumber() const { return _type == Type::Number; }

    std::string_view raw() const { return _raw; }  ///< the node's source text, verbatim
    const std::string& asString() const;           ///< decoded string; throws JsonParseError if not a string
    bool isInteger() const;                        ///< a Number written without fraction/exponent that fits int64
    std::int64_t asInt64() const;                  ///< exact; throws JsonParseError if not an int64 integer
    bool asBool() const;                           ///< throws if not a Bool
    const std::vector<JsonValue>& items() const;   ///< Array elements; throws if not an Array
    const std::vector<std::pair<std::string, JsonValue>>& members() const;  ///< Object members in source order
    const JsonValue* find(std::string_view key) const;  ///< Object member or nullptr (also nullptr if not an Object)

private:
    friend class JsonParser;
    using Items = std::vector<JsonValue>;
    using Members = std::vector<std::pair<std::string, JsonValue>>;
    Type _type = Type::Null;
    bool _bool = false;
    bool _isInt = false;  // Number that is an exact int64 (decided once, at parse time)
    std::string_view _raw;
    std::int64_t _int = 0;
    // The decoded String, the Array's items or the Object's members: one of them per node (72 bytes a node, not
    // 120, which is what a document of tiny values costs).
    std::variant<std::monostate, std::string, Items, Members> _value;
};

/// A parsed JSON text. Owns the text so every JsonValue::raw() stays valid. Strings are decoded leniently: \u0000 is
/// kept, and a lone surrogate escape (\uD800) is stored as its 3-byte generalized-UTF-8 form so it can be written back.
class JsonDocument {
public:
    /// Throws JsonParseError, or JsonTooManyValuesError once more than `maxValues` values (every scalar, array,
    /// object and member value counts one) were read: a reader of untrusted text bounds its memory with it.
    static JsonDocument parse(std::string text, std::size_t maxValues = SIZE_MAX);
    const JsonValue& root() const { return *_root; }
    const std::string& text() const { return *_text; }

private:
    std::unique_ptr<std::string> _text;
    std::unique_ptr<JsonValue> _root;
};

}  // namespace okarchive
