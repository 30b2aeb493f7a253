#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/Message.h"

namespace okarchive {

/// Bytes of an original file name kept in an exported media file's name (its extension included).
inline constexpr std::size_t kMediaNameBudget = 100;

/// `name` made a safe single path component of at most `byteBudget` bytes: '/', '\', NUL and every other control
/// character (C0, DEL, C1), the bidirectional controls (U+202A..E, U+2066..9, U+200E/F, U+061C: "a\u202Egnp.exe"),
/// the characters Windows refuses (< > : " | ? *) and invalid UTF-8 become '_'; leading dots and spaces and trailing
/// dots and spaces are dropped. When it must be cut, the stem is cut at a UTF-8 character boundary (never inside a
/// character) and the extension (up to 16 bytes) kept. Empty when nothing is left.
std::string sanitizedFileName(std::string_view name, std::size_t byteBudget = kMediaNameBudget);

/// The file extension (without the dot) for a sniffed MIME type: image/png -> png, video/mp4 -> mp4...;
/// "bin" when unknown. Text that a browser would run (text/html, image/svg+xml, XML) gets "txt".
std::string extensionForMime(std::string_view mime);

/// The exported name of attachment `position` of `message` under <stem>_media/: "YYYY-MM/<mid>_<position>_<name>"
/// (YYYY-MM: the message's UTC month; <mid>: the mid without "mid:", [A-Za-z0-9._-] only, a leading dot made '_',
/// at most 64 bytes, with "-" and 8 hex digits of its hash when it had to be changed, so two mids never share a name;
/// <name>: the payload's "name" sanitised (sanitizedFileName), with the MIME's extension added when it has none
/// or one a browser would run) or "YYYY-MM/<mid>_<position>.<extension for mime>" when the payload has no name.
std::string exportedMediaName(const Message& message, std::size_t position, std::string_view mime);

}  // namespace okarchive
