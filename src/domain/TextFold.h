#pragma once

#include <string>
#include <string_view>

namespace okarchive {

/// Lower-cases UTF-8 text for case-insensitive matching: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic
/// (what OK chats are written in). Other characters and invalid bytes pass through unchanged.
std::string foldCase(std::string_view text);

/// True if `a` and `b` are equal ignoring the case of ASCII letters only (type names, schemes, language tags).
bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b);

/// `text` with its ASCII letters upper-cased (other bytes as they are): the key of a table of API type names.
std::string upperAscii(std::string_view text);

/// True if `needle` occurs in `haystack` ignoring case as foldCase does. An empty needle matches everything.
bool containsFolded(std::string_view haystack, std::string_view foldedNeedle);

}  // namespace okarchive
