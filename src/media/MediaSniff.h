#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace okarchive {

/// How many first bytes of a content sniffMime looks at.
inline constexpr std::size_t kSniffBytes = 4096;

/// The MIME type a content's first bytes say it is, whatever the server claimed: magic numbers (PNG, JPEG, GIF,
/// WebP, BMP, ICO, TIFF, AVIF/HEIC, MP4/MOV/M4A/3GP, WebM/MKV, OGG, MP3, AAC, WAV, AIFF, AMR, FLAC, MIDI, AVI, FLV,
/// MPEG, PDF, ZIP, GZIP, 7z, RAR, XZ, BZIP2), then text: HTML, XML (SVG), JSON, plain text. Otherwise
/// "application/octet-stream".
std::string sniffMime(std::string_view head);

/// Why a content of `mime` cannot be the media of an attachment of `type` ("content is an HTML page, not an
/// image"), or nothing: IMAGE, STICKER and CONTACT must be images; AUDIO audio or a video container (voice is often
/// MP4/WebM/OGG); VIDEO video; FILE and every other type take anything.
std::optional<std::string> kindMismatch(const std::string& type, const std::string& mime);

}  // namespace okarchive
