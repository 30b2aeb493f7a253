#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace okarchive {

/// The length (1..4) of the well-formed UTF-8 sequence at text[i], 0 if none starts there: a stray continuation
/// byte, a cut sequence, an overlong form, a surrogate (ED A0..BF xx) or a code point past U+10FFFF.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i);

/// 3 if text[i] starts the 3-byte form (ED A0..BF 80..BF) in which the JSON reader keeps a lone surrogate escape
/// (\uD800..\uDFFF) the API sent, else 0.
std::size_t storedSurrogateLength(std::string_view text, std::size_t i);

/// Whether every strict reader takes `text` as it is: well-formed UTF-8 without NUL.
bool isValidText(std::string_view text);

/// Appends `text` with what a strict reader refuses replaced by U+FFFD: NUL, each stored lone surrogate (its three
/// bytes become one U+FFFD) and every other byte that is not part of well-formed UTF-8. Valid text is copied as it is.
void appendValidText(std::string& out, std::string_view text);

/// `text` as appendValidText writes it.
std::string validText(std::string_view text);

}  // namespace okarchive
