#pragma once

#include <string_view>
#include <vector>

namespace okarchive {

/// A piece of a message text: plain text or an http(s) URL found in it.
struct TextPiece {
    std::string_view text;  ///< a view into the text given to splitLinks
    bool link = false;
};

/// Splits `text` into plain pieces and the http:// and https:// URLs written in it (scheme ASCII case-insensitive,
/// not glued to a preceding letter or digit, with a host). A URL runs to the next whitespace, control character,
/// '<', '>', '"', a no-break space or a
/// quotation mark such as « » “ ” (endsUrlUnicode); trailing sentence punctuation (. , ; : ! ? ' *) and closing
/// brackets without their opening one inside the URL are left out of it. Concatenating the pieces gives `text` back;
/// empty text gives no piece.
std::vector<TextPiece> splitLinks(std::string_view text);

}  // namespace okarchive
