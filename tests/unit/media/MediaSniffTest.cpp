#include <catch2/catch.hpp>

#include <string>

#include "media/MediaSniff.h"

using namespace okarchive;
using namespace std::string_literals;

namespace {

std::string riff(const std::string& kind) { return "RIFF\x24\x00\x00\x00"s + kind + "rest of the chunk"; }
std::string ftyp(const std::string& brand) {
    return "\x00\x00\x00\x18"
           "ftyp"s +
           brand + "\x00\x00\x02\x00isomiso2"s;
}

}  // namespace

TEST_CASE("sniffMime reads the magic numbers, not the server's claim", "[sniff]") {
    const std::pair<std::string, const char*> table[] = {
        {"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"s, "image/png"},
        {"\xff\xd8\xff\xe0\x00\x10JFIF"s, "image/jpeg"},
        {"GIF89a\x01\x00"s, "image/gif"},
        {"GIF87a"s, "image/gif"},
        {riff("WEBP") + "VP8 ", "image/webp"},
        {"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00"s, "image/bmp"},
        {"\x00\x00\x01\x00\x01\x00\x10\x10"s, "image/vnd.microsoft.icon"},
        {ftyp("avif"), "image/avif"},
        {ftyp("heic"), "image/heic"},
        {ftyp("isom"), "video/mp4"},
        {ftyp("mp42"), "video/mp4"},
        {ftyp("qt  "), "video/quicktime"},
        {ftyp("M4A "), "audio/mp4"},
        {ftyp("3gp5"), "video/3gpp"},
        {"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm"s, "video/webm"},
        {"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska"s, "video/x-matroska"},
        {"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead"s, "audio/ogg"},
        {"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x80theora"s, "video/ogg"},
        {"ID3\x04\x00\x00\x00\x00\x00\x00"s, "audio/mpeg"},
        {"\xff\xfb\x90\x64\x00"s, "audio/mpeg"},
        {"\xff\xf1\x50\x80"s, "audio/aac"},
        {riff("WAVE") + "fmt ", "audio/wav"},
        {"#!AMR\n\x3c"s, "audio/amr"},
        {"#!AMR-WB\n"s, "audio/amr-wb"},
        {"fLaC\x00\x00\x00\x22"s, "audio/flac"},
        {riff("AVI ") + "LIST", "video/x-msvideo"},
        {"%PDF-1.7\n"s, "application/pdf"},
        {"PK\x03\x04\x14\x00"s, "application/zip"},
        {"\x1f\x8b\x08\x00"s, "application/gzip"},
        {"\xef\xbb\xbf<!DOCTYPE html><html>"s, "text/html"},
        {"\r\n  <HTML><body>Access denied</body></HTML>"s, "text/html"},
        {"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>"s, "application/xml"},
        {"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"s, "image/svg+xml"},
        {"{\"error\":\"expired\"}"s, "application/json"},
        {"plain notes\nline two\n"s, "text/plain"},
        {"\x00\x01\x02\x03\x04\x05"s, "application/octet-stream"},
        {""s, "application/octet-stream"},
    };
    for (const auto& [head, mime] : table) {
        INFO(mime);
        CHECK(sniffMime(head) == mime);
    }
}

TEST_CASE("kindMismatch holds images, audio and video to their kind and lets files be anything", "[sniff]") {
    CHECK(kindMismatch("IMAGE", "text/html") == std::optional<std::string>("content is an HTML page, not an image"));
    CHECK(kindMismatch("STICKER", "application/json") ==
          std::optional<std::string>("content is a JSON document, not an image"));
    CHECK(kindMismatch("CONTACT", "image/svg+xml").has_value());  // scriptable: never kept as an image
    CHECK_FALSE(kindMismatch("IMAGE", "image/webp"));
    CHECK_FALSE(kindMismatch("CONTACT", "image/jpeg"));
    CHECK_FALSE(kindMismatch("AUDIO", "audio/ogg"));
    CHECK_FALSE(kindMismatch("AUDIO", "video/mp4"));  // voice messages come in MP4 and WebM containers
    CHECK(kindMismatch("AUDIO", "image/png") == std::optional<std::string>("content is image/png, not audio"));
    CHECK_FALSE(kindMismatch("VIDEO", "video/webm"));
    CHECK(kindMismatch("VIDEO", "audio/mpeg") == std::optional<std::string>("content is audio/mpeg, not a video"));
    CHECK_FALSE(kindMismatch("FILE", "text/html"));
    CHECK_FALSE(kindMismatch("FILE", "application/octet-stream"));
    CHECK_FALSE(kindMismatch("HOLOGRAM", "application/octet-stream"));  // a type okarchive does not know
}
