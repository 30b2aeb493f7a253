#pragma once

#include <string>
#include <string_view>

namespace okarchive {

/// Appends `text` to `out` as a JSON string literal (with quotes). Control characters and NUL become \u escapes;
/// surrogate code points that a lenient decoder stored as 3-byte sequences (ED A0..BF xx) become \uD8xx escapes again,
/// so such text round-trips; any other invalid UTF-8 byte becomes U+FFFD (JSON cannot carry raw bytes).
void appendJsonString(std::string& out, std::string_view text);

/// Whether `text` is printable ASCII without '"' or '\\': its JSON string literal is the text in quotes.
bool isPlainJsonText(std::string_view text);

/// Convenience: the JSON string literal for `text`.
std::string jsonString(std::string_view text);

}  // namespace okarchive
