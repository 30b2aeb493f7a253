#include "sim/MediaContent.h"

#include <algorithm>
#include <array>

#include "sim/MediaFormats.h"
#include "sim/Rng.h"

namespace okarchive::sim {
namespace {

constexpr std::size_t kMinFileSize = 1024;
constexpr std::array<std::string_view, 7> kKindNames = {"image",   "video",   "audio", "file",
                                                        "sticker", "contact", "other"};

/// A 64-bit hash of the kind and the id: every property of a media id derives from it.
std::uint64_t mediaHash(MediaKind kind, std::string_view id) {
    std::uint64_t h = mix64(static_cast<std::uint64_t>(kind) + 0x6d65646961ULL);
    for (unsigned char c : id) h = mix64(h ^ c);
    return h;
}

/// Which format a file (or an audio) id is: 0..3, from the hash.
unsigned variant(MediaKind kind, std::string_view id) { return static_cast<unsigned>((mediaHash(kind, id) >> 8) % 4); }

/// The unscaled size: mostly small, some medium, a few up to 2 MiB; stickers and contact photos stay small.
std::size_t baseSize(MediaKind kind, std::uint64_t h) {
    const std::uint64_t roll = h % 100, spread = h >> 32;
    const bool small = kind == MediaKind::Sticker || kind == MediaKind::Contact;
    if (roll < 55 || small) return 200 + spread % 20000;
    if (roll < 85) return 20000 + spread % 180000;
    if (roll < 97) return 200000 + spread % 800000;
    return 1000000 + spread % (static_cast<std::uint64_t>(kDefaultMediaMaxSize) - 1000000);
}

}  // namespace

std::string_view mediaKindName(MediaKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

std::optional<MediaKind> parseMediaKind(std::string_view name) {
    for (std::size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == name) return static_cast<MediaKind>(i);
    return std::nullopt;
}

std::size_t MediaContent::size(MediaKind kind, std::string_view id, std::int64_t maxSize) {
    const std::size_t base = baseSize(kind, mediaHash(kind, id));
    const auto max = static_cast<std::size_t>(std::max<std::int64_t>(maxSize, 1));
    const auto scaled = static_cast<std::size_t>(static_cast<double>(base) * static_cast<double>(max) /
                                                 static_cast<double>(kDefaultMediaMaxSize));
    if (kind == MediaKind::File) return std::max<std::size_t>(scaled, kMinFileSize);  // room for a whole PDF
    return std::clamp<std::size_t>(scaled, std::min<std::size_t>(200, max), max);
}

std::string MediaContent::bytes(MediaKind kind, std::string_view id, std::int64_t maxSize) {
    const std::uint64_t seed = mediaHash(kind, id);
    const std::size_t target = size(kind, id, maxSize);
    switch (kind) {
        case MediaKind::Image:
        case MediaKind::Contact: return pngImage(seed, target);
        case MediaKind::Sticker: return webpImage(seed, target);
        case MediaKind::Audio: return variant(kind, id) == 0 ? mp3Audio(seed, target) : oggOpusAudio(seed, target);
        case MediaKind::Video: return mp4Video(seed, target);
        case MediaKind::File:
            switch (variant(kind, id)) {
                case 0: return pdfDocument(seed, target);
                case 1: return zipArchive(seed, target);
                default: return textFile(seed, target);
            }
        case MediaKind::Other: return zipArchive(seed, target);
    }
    return {};
}

std::string MediaContent::mime(MediaKind kind, std::string_view id) {
    switch (kind) {
        case MediaKind::Image:
        case MediaKind::Contact: return "image/png";
        case MediaKind::Sticker: return "image/webp";
        case MediaKind::Audio: return variant(kind, id) == 0 ? "audio/mpeg" : "audio/ogg";
        case MediaKind::Video: return "video/mp4";
        case MediaKind::File: {
            const unsigned v = variant(kind, id);
            return v == 0 ? "application/pdf" : v == 1 ? "application/zip" : "text/plain; charset=utf-8";
        }
        case MediaKind::Other: return "application/zip";
    }
    return "application/octet-stream";
}

}  // namespace okarchive::sim
