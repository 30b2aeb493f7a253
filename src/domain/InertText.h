#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace okarchive {

/// `text` made inert for a terminal or a log line, the one place every string from the API or the archive passes
/// before it is shown: each control character (C0, including ESC, newline and tab; DEL; C1 U+0080..U+009F), each
/// bidirectional mark, embedding, override or isolate (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and
/// each byte of invalid UTF-8 becomes '?', so no title, name, id or error_msg can move the cursor, recolour or
/// retitle the terminal, forge a line, or reorder what is shown. Keeps at most `maxChars` characters (then "...").
std::string inertText(std::string_view text, std::size_t maxChars = SIZE_MAX);

/// inertText that keeps line breaks ('\n'), for text shown as several lines (a digest).
std::string inertLines(std::string_view text);

}  // namespace okarchive
