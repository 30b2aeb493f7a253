#include "media/MediaSniff.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

namespace okarchive {
namespace {

struct Magic {
    std::size_t offset;
    std::string_view bytes;
    std::string_view mime;
};

using namespace std::string_view_literals;

// Checked in order; the container formats whose brand decides the type (RIFF, ftyp, EBML, Ogg) are done apart.
constexpr std::array<Magic, 27> kMagic = {{
    {0, "\x89PNG\r\n\x1a\n"sv, "image/png"},
    {0, "\xff\xd8\xff"sv, "image/jpeg"},
    {0, "GIF87a"sv, "image/gif"},
    {0, "GIF89a"sv, "image/gif"},
    {0, "\x00\x00\x01\x00"sv, "image/vnd.microsoft.icon"},
    {0, "\x00\x00\x02\x00"sv, "image/vnd.microsoft.icon"},
    {0, "II*\x00"sv, "image/tiff"},
    {0, "MM\x00*"sv, "image/tiff"},
    {0, "ID3"sv, "audio/mpeg"},
    {0, "#!AMR-WB\n"sv, "audio/amr-wb"},
    {0, "#!AMR\n"sv, "audio/amr"},
    {0, "fLaC"sv, "audio/flac"},
    {0, "MThd"sv, "audio/midi"},
    {0, "FLV\x01"sv, "video/x-flv"},
    {0, "\x00\x00\x01\xba"sv, "video/mpeg"},
    {0, "\x00\x00\x01\xb3"sv, "video/mpeg"},
    {0, "%PDF-"sv, "application/pdf"},
    {0, "PK\x03\x04"sv, "application/zip"},
    {0, "PK\x05\x06"sv, "application/zip"},
    {0, "\x1f\x8b"sv, "application/gzip"},
    {0, "7z\xbc\xaf\x27\x1c"sv, "application/x-7z-compressed"},
    {0, "Rar!\x1a\x07"sv, "application/vnd.rar"},
    {0,
     "\xfd"
     "7zXZ\x00"sv,
     "application/x-xz"},
    {0, "BZh"sv, "application/x-bzip2"},
    {0, "{\\rtf"sv, "application/rtf"},
    {0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"sv, "application/x-ole-storage"},
    {0, "wOFF"sv, "font/woff"},
}};

bool at(std::string_view head, std::size_t offset, std::string_view bytes) {
    return head.size() >= offset + bytes.size() && head.substr(offset, bytes.size()) == bytes;
}

std::string_view riffType(std::string_view head) {
    if (at(head, 8, "WEBP")) return "image/webp";
    if (at(head, 8, "WAVE")) return "audio/wav";
    if (at(head, 8, "AVI ")) return "video/x-msvideo";
    return {};
}

/// ISO base media (MP4, MOV, M4A, 3GP, HEIF, AVIF): the major brand after "ftyp" at offset 4.
std::string_view ftypType(std::string_view head) {
    const std::string_view brand = head.substr(8, 4);
    if (brand == "avif" || brand == "avis") return "image/avif";
    if (brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" || brand == "hevc" || brand == "hevx")
        return "image/heic";
    if (brand == "mif1" || brand == "msf1") return "image/heif";
    if (brand == "M4A " || brand == "M4B " || brand == "M4P " || brand == "F4A ") return "audio/mp4";
    if (brand == "qt  ") return "video/quicktime";
    if (brand.substr(0, 3) == "3gp" || brand.substr(0, 3) == "3g2") return "video/3gpp";
    return "video/mp4";
}

std::string_view containerType(std::string_view head) {
    if (at(head, 0, "RIFF")) return riffType(head);
    if (at(head, 4, "ftyp") && head.size() >= 12) return ftypType(head);
    if (at(head, 0, "FORM") && (at(head, 8, "AIFF") || at(head, 8, "AIFC"))) return "audio/aiff";
    if (at(head, 0, "\x1a\x45\xdf\xa3"sv))
        return head.find("webm") != std::string_view::npos ? "video/webm" : "video/x-matroska";
    if (at(head, 0, "OggS")) return head.find("\x80theora") != std::string_view::npos ? "video/ogg" : "audio/ogg";
    if (at(head, 0, "BM") && head.size() >= 14 && head.substr(6, 4) == "\0\0\0\0"sv) return "image/bmp";
    if (head.size() > 188 && head[0] == 0x47 && head[188] == 0x47) return "video/mp2t";
    return {};
}

/// An MPEG audio frame header (11 sync bits; AAC's ADTS has layer bits 00).
std::string_view frameSyncType(std::string_view head) {
    if (head.size() < 2 || static_cast<unsigned char>(head[0]) != 0xff) return {};
    const auto second = static_cast<unsigned char>(head[1]);
    if ((second & 0xf6) == 0xf0) return "audio/aac";
    if ((second & 0xe0) == 0xe0 && (second & 0x06) != 0) return "audio/mpeg";
    return {};
}

std::string lowerPrefix(std::string_view text, std::size_t n) {
    std::string out(text.substr(0, n));
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool looksLikeText(std::string_view text) {
    return std::none_of(text.begin(), text.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f';
    });
}

std::string_view textType(std::string_view head) {
    if (at(head, 0, "\xef\xbb\xbf")) head.remove_prefix(3);  // a UTF-8 byte order mark
    const std::size_t start = head.find_first_not_of(" \t\r\n\f");
    if (start == std::string_view::npos) return head.empty() || !looksLikeText(head) ? "" : "text/plain";
    const std::string lower = lowerPrefix(head.substr(start), 512);
    for (const char* tag : {"<!doctype html", "<html", "<head", "<body", "<script", "<title", "<iframe", "<div", "<p>",
                            "<h1", "<table", "<a ", "<br", "<style", "<!--"})
        if (lower.rfind(tag, 0) == 0) return "text/html";
    if (lower.rfind("<?xml", 0) == 0 || lower.rfind("<svg", 0) == 0)
        return lower.find("<svg") != std::string::npos ? "image/svg+xml" : "application/xml";
    if (!looksLikeText(head)) return "";
    if (lower[0] == '{' || lower[0] == '[') return "application/json";
    return "text/plain";
}

std::string_view kindOf(std::string_view mime) { return mime.substr(0, mime.find('/')); }

std::string describe(const std::string& mime) {
    if (mime == "text/html") return "an HTML page";
    if (mime == "application/json") return "a JSON document";
    if (mime == "application/xml") return "an XML document";
    if (mime == "image/svg+xml") return "an SVG document (scriptable, never kept as an image)";
    if (mime == "text/plain") return "plain text";
    return mime;
}

}  // namespace

std::string sniffMime(std::string_view head) {
    head = head.substr(0, kSniffBytes);
    for (const auto& magic : kMagic)
        if (at(head, magic.offset, magic.bytes)) return std::string(magic.mime);
    for (const auto& type : {containerType(head), frameSyncType(head), textType(head)})
        if (!type.empty()) return std::string(type);
    return "application/octet-stream";
}

std::optional<std::string> kindMismatch(const std::string& type, const std::string& mime) {
    const std::string_view kind = kindOf(mime);
    const bool image = kind == "image" && mime != "image/svg+xml";
    const char* wanted = nullptr;
    if ((type == "IMAGE" || type == "STICKER" || type == "CONTACT") && !image) wanted = "an image";
    if (type == "AUDIO" && kind != "audio" && kind != "video") wanted = "audio";
    if (type == "VIDEO" && kind != "video") wanted = "a video";
    if (!wanted) return std::nullopt;
    return fmt::format("content is {}, not {}", describe(mime), wanted);
}

}  // namespace okarchive
