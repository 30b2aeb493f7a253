#include <catch2/catch.hpp>

#include <string>

#include "media/ImageSize.h"

using namespace okarchive;

namespace {

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string le16(std::uint32_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string le24(std::uint32_t v) { return le16(v) + static_cast<char>(v >> 16); }

std::string png(std::uint32_t w, std::uint32_t h) {
    return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(w) + be32(h) +
           std::string("\x08\x02\0\0\0", 5);
}

std::string riff(const std::string& chunk) { return "RIFF" + le24(100) + '\0' + "WEBP" + chunk; }

}  // namespace

TEST_CASE("ImageSize: PNG, GIF and the three WebP kinds declare their dimensions") {
    CHECK(imageSize(png(640, 480)) == ImageSize{640, 480});
    CHECK(imageSize("GIF89a" + le16(320) + le16(200) + std::string(4, '\0')) == ImageSize{320, 200});
    CHECK(imageSize("GIF87a" + le16(1) + le16(2)) == ImageSize{1, 2});
    const std::string vp8 =
        "VP8 " + le24(30) + '\0' + std::string("\x10\x02\x00\x9d\x01\x2a", 6) + le16(500) + le16(300);
    CHECK(imageSize(riff(vp8)) == ImageSize{500, 300});
    // VP8L: 0x2f, then 14 bits width-1, 14 bits height-1: 128x64 -> 127 | 63 << 14
    const std::uint32_t bits = 127u | (63u << 14);
    const std::string vp8l = "VP8L" + le24(30) + '\0' + "\x2f" + le16(bits & 0xffff) + le16(bits >> 16) + "  ";
    CHECK(imageSize(riff(vp8l)) == ImageSize{128, 64});
    const std::string vp8x = "VP8X" + le24(10) + '\0' + std::string(4, '\0') + le24(1023) + le24(767);
    CHECK(imageSize(riff(vp8x)) == ImageSize{1024, 768});
}

TEST_CASE("ImageSize: a JPEG's frame header is found after the segments before it") {
    std::string jpeg = "\xFF\xD8";
    jpeg += "\xFF\xE0" + std::string("\x00\x10", 2) + std::string(14, 'J');   // APP0 (JFIF), 16 bytes
    jpeg += "\xFF\xE1" + std::string("\x01\x02", 2) + std::string(256, 'E');  // APP1 (EXIF), 258 bytes
    jpeg += "\xFF\xFF";                                                       // a fill byte
    jpeg += "\xFF\xDB" + std::string("\x00\x04", 2) + std::string(2, 'Q');    // DQT
    jpeg += "\xFF\xC2" + std::string("\x00\x11\x08", 3) + std::string("\x02\x1C\x04\xB0", 4) + std::string(10, 'F');
    CHECK(imageSize(jpeg) == ImageSize{1200, 540});
    SECTION("a scan before any frame header, or a cut header, is no size") {
        CHECK_FALSE(imageSize(std::string("\xFF\xD8\xFF\xDA\x00\x04xx", 8)));
        CHECK_FALSE(imageSize(jpeg.substr(0, jpeg.size() - 12)));
    }
}

TEST_CASE("ImageSize: other content, cut headers and zero sizes are no size, never a read past the end") {
    CHECK_FALSE(imageSize(""));
    CHECK_FALSE(imageSize("<html><body>not an image</body></html>"));
    CHECK_FALSE(imageSize(png(10, 10).substr(0, 20)));
    CHECK_FALSE(imageSize(png(0, 10)));
    CHECK_FALSE(imageSize("GIF89a\x01"));
    CHECK_FALSE(imageSize(riff("VP8 ")));
    CHECK_FALSE(imageSize(std::string("\xFF\xD8\xFF", 3)));
    CHECK_FALSE(imageSizeOfFile("/nonexistent/okarchive-image"));
}
