#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace okarchive::sim {

/// The kinds of media the simulator serves, the first path segment after /media/.
enum class MediaKind { Image, Video, Audio, File, Sticker, Contact, Other };

/// "image", "video", "audio", "file", "sticker", "contact", "other".
std::string_view mediaKindName(MediaKind kind);
/// The kind named `name`; nullopt for any other text.
std::optional<MediaKind> parseMediaKind(std::string_view name);

/// The largest media file the simulator makes unless told otherwise (--media-max-size).
constexpr std::int64_t kDefaultMediaMaxSize = 2 * 1024 * 1024;

/// What one media id is: its exact size, content and type. Deterministic: a function of (kind, id, maxSize) only.
struct MediaContent {
    /// The size of the content of (kind, id): mixed, from ~200 bytes to maxSize, scaled by maxSize / 2 MiB
    /// (files: at least 1 KiB, the smallest PDF, even under a smaller maxSize).
    static std::size_t size(MediaKind kind, std::string_view id, std::int64_t maxSize);
    /// The bytes of (kind, id): PNG images and contact photos, WebP stickers, Ogg Opus or MP3 audio, MP4 video, PDF,
    /// ZIP or text files and other media. Exactly size() bytes for files; within a frame of it for audio and stickers.
    static std::string bytes(MediaKind kind, std::string_view id, std::int64_t maxSize);
    /// The Content-Type the server sends for (kind, id).
    static std::string mime(MediaKind kind, std::string_view id);
};

}  // namespace okarchive::sim
