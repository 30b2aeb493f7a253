#include "media/ImageSize.h"

#include <fstream>
#include <string>

namespace okarchive {
namespace {

std::uint32_t byteAt(std::string_view b, std::size_t i) { return static_cast<unsigned char>(b[i]); }
std::uint32_t be16(std::string_view b, std::size_t i) { return byteAt(b, i) << 8 | byteAt(b, i + 1); }
std::uint32_t le16(std::string_view b, std::size_t i) { return byteAt(b, i) | byteAt(b, i + 1) << 8; }
std::uint32_t le24(std::string_view b, std::size_t i) { return le16(b, i) | byteAt(b, i + 2) << 16; }
std::uint32_t be32(std::string_view b, std::size_t i) { return be16(b, i) << 16 | be16(b, i + 2); }

std::optional<ImageSize> nonZero(std::uint32_t width, std::uint32_t height) {
    if (width == 0 || height == 0) return std::nullopt;
    return ImageSize{width, height};
}

std::optional<ImageSize> pngSize(std::string_view b) {
    if (b.size() < 24 || b.substr(12, 4) != "IHDR") return std::nullopt;
    return nonZero(be32(b, 16), be32(b, 20));
}

std::optional<ImageSize> gifSize(std::string_view b) {
    if (b.size() < 10) return std::nullopt;
    return nonZero(le16(b, 6), le16(b, 8));
}

/// The first chunk of a RIFF WEBP file: lossy (VP8), lossless (VP8L) or extended (VP8X, the canvas).
std::optional<ImageSize> webpSize(std::string_view b) {
    if (b.size() < 25) return std::nullopt;
    const std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8L" && byteAt(b, 20) == 0x2f) {
        const std::uint32_t bits = le16(b, 21) | le16(b, 23) << 16;
        return ImageSize{(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
    }
    if (b.size() < 30) return std::nullopt;
    if (chunk == "VP8 " && byteAt(b, 23) == 0x9d && byteAt(b, 24) == 0x01 && byteAt(b, 25) == 0x2a)
        return nonZero(le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
    if (chunk == "VP8X") return ImageSize{le24(b, 24) + 1, le24(b, 27) + 1};
    return std::nullopt;
}

bool isStartOfFrame(std::uint32_t marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/// Walks the JPEG markers from SOI to the first frame header (SOFn: precision, height, width); stops at the scan.
std::optional<ImageSize> jpegSize(std::string_view b) {
    std::size_t at = 2;
    while (at + 1 < b.size()) {
        if (byteAt(b, at) != 0xFF) return std::nullopt;
        const std::uint32_t marker = byteAt(b, at + 1);
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        at += 2;
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length: TEM, RSTn, SOI
        if (marker == 0xD9 || marker == 0xDA || at + 2 > b.size()) return std::nullopt;
        const std::uint32_t length = be16(b, at);
        if (length < 2) return std::nullopt;
        if (isStartOfFrame(marker)) {
            if (length < 7 || at + 7 > b.size()) return std::nullopt;
            return nonZero(be16(b, at + 5), be16(b, at + 3));
        }
        at += length;
    }
    return std::nullopt;
}

}  // namespace

std::optional<ImageSize> imageSize(std::string_view b) {
    if (b.substr(0, 8) == "\x89PNG\r\n\x1a\n") return pngSize(b);
    if (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a") return gifSize(b);
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return webpSize(b);
    if (b.size() >= 3 && byteAt(b, 0) == 0xFF && byteAt(b, 1) == 0xD8 && byteAt(b, 2) == 0xFF) return jpegSize(b);
    return std::nullopt;
}

std::optional<ImageSize> imageSizeOfFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string header(kImageHeaderBytes, '\0');
    in.read(header.data(), static_cast<std::streamsize>(header.size()));
    header.resize(static_cast<std::size_t>(in.gcount()));
    return imageSize(header);
}

}  // namespace okarchive
