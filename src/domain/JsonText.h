#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace okarchive {

/// What JSON text does with what Unicode text cannot carry: NUL, lone surrogates, invalid UTF-8.
enum class JsonFidelity : std::uint8_t {
    /// Every strict reader (jq 1.6, Python's json with strict surrogates) takes the text: NUL, lone surrogates and
    /// invalid UTF-8 become U+FFFD, also inside spliced JSON (its \u0000 and lone \uD8xx escapes become \ufffd).
    Valid,
    /// Round-trips what the archive holds: NUL as \u0000, a stored lone surrogate (ED A0..BF xx) as its \uD8xx escape
    /// again, spliced JSON as it is; only other invalid UTF-8 becomes U+FFFD (JSON cannot carry raw bytes).
    Verbatim,
};

/// Appends `text` to `out` as a JSON string literal (with quotes). Control characters become \u escapes (NUL
/// included when Verbatim); what Unicode cannot carry is written as `fidelity` says.
void appendJsonString(std::string& out, std::string_view text, JsonFidelity fidelity = JsonFidelity::Valid);

/// Appends the JSON text `json` (one value, e.g. a payload as the API sent it) with its strings made valid as
/// JsonFidelity::Valid says: \u0000 and lone surrogate escapes become \ufffd, invalid UTF-8 becomes U+FFFD, the
/// rest (paired surrogate escapes included) is copied as it is.
void appendValidJson(std::string& out, std::string_view json);

/// Whether `text` is printable ASCII without '"' or '\\': its JSON string literal is the text in quotes.
bool isPlainJsonText(std::string_view text);

/// Convenience: the JSON string literal for `text`.
std::string jsonString(std::string_view text, JsonFidelity fidelity = JsonFidelity::Valid);

}  // namespace okarchive
