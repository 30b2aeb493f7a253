#pragma once

#include <string>
#include <string_view>

namespace okarchive::sim {

/// How a string is escaped on the wire. Every style is valid JSON and decodes to the same text.
enum class EscapeStyle {
    Plain,         ///< raw UTF-8, short escapes, other controls as \u00XX (lowercase), DEL raw
    EscapeSlash,   ///< like Plain, but '/' as "\/" and DEL as \u007F
    UnicodeLower,  ///< every non-ASCII character as \uXXXX (surrogate pairs), lowercase hex
    UnicodeUpper,  ///< every non-ASCII character as \uXXXX (surrogate pairs), uppercase hex, controls as \u00XX
};

/// Appends `text` (decoded bytes; a lone surrogate is held as its 3-byte form ED A0..BF xx) as a JSON string
/// literal in the given wire style.
void appendWireString(std::string& out, std::string_view text, EscapeStyle style);

/// Appends `text` as a JSON string literal in okarchive's canonical form: short escapes for " \ \n \r \t \b \f,
/// \u00xx (lowercase) for other controls and DEL, \udxxx for a lone surrogate, raw UTF-8 otherwise; '/' not escaped.
/// Invalid UTF-8 bytes become U+FFFD.
void appendCanonicalString(std::string& out, std::string_view text);

/// The canonical JSON string literal of `text`.
std::string canonicalString(std::string_view text);

}  // namespace okarchive::sim
