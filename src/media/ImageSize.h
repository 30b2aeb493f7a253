#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace okarchive {

/// An image's pixel dimensions as its file header declares them.
struct ImageSize {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    bool operator==(const ImageSize&) const = default;
};

/// The dimensions a PNG (IHDR), GIF (logical screen), WebP (VP8, VP8L, VP8X) or JPEG (the first SOFn frame header,
/// walking the markers before it) declares in `header`, the first bytes of the file; nothing for another format, a
/// header cut before the dimensions, or zero dimensions. Never reads past `header`.
std::optional<ImageSize> imageSize(std::string_view header);

/// imageSize of the first kImageHeaderBytes of the file at `path`; nothing when it cannot be read.
std::optional<ImageSize> imageSizeOfFile(const std::string& path);

/// How much of a file imageSizeOfFile reads: JPEG's frame header may follow large EXIF or ICC segments.
inline constexpr std::size_t kImageHeaderBytes = 256 * 1024;

}  // namespace okarchive
