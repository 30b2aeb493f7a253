#include "exporters/MediaFileName.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "domain/CivilDate.h"
#include "domain/Json.h"
#include "domain/Utf8.h"
#include "exporters/HtmlAttachment.h"

namespace okarchive {
namespace {

constexpr std::size_t kMidBytes = 64, kMidPrefixBytes = 55, kExtensionBytes = 16;

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool isContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// Whether the sequence text[i..i+length) is a C1 control, a bidirectional control or a line separator: invisible
/// characters that reorder or break what a file manager shows.
bool isHiddenControl(std::string_view text, std::size_t i, std::size_t length) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    if (length == 2) return (byte(0) == 0xC2 && byte(1) < 0xA0) || (byte(0) == 0xD8 && byte(1) == 0x9C);
    if (length != 3 || byte(0) != 0xE2) return false;
    return (byte(1) == 0x80 && (byte(2) == 0x8E || byte(2) == 0x8F || (byte(2) >= 0xA8 && byte(2) <= 0xAE))) ||
           (byte(1) == 0x81 && byte(2) >= 0xA6 && byte(2) <= 0xA9);
}

bool isRefusedAscii(unsigned char c) {
    static constexpr std::string_view kRefused = "/\\<>:\"|?*";
    return c < 0x20 || c == 0x7F || kRefused.find(static_cast<char>(c)) != std::string_view::npos;
}

/// `name` with every unsafe character as '_' (see sanitizedFileName), not trimmed or cut.
std::string replaceUnsafe(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size();) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c < 0x80) {
            out += isRefusedAscii(c) ? '_' : static_cast<char>(c);
            ++i;
            continue;
        }
        const std::size_t length = utf8SequenceLength(name, i);
        if (length == 0 || isHiddenControl(name, i, length))
            out += '_';
        else
            out.append(name.substr(i, length));
        i += length ? length : std::max<std::size_t>(1, storedSurrogateLength(name, i));
    }
    return out;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == '.' || text.front() == ' ')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.remove_suffix(1);
    return text;
}

/// The first bytes of `text`, at most `budget`, ending at a character boundary.
std::string_view cutAtBoundary(std::string_view text, std::size_t budget) {
    if (text.size() <= budget) return text;
    std::size_t cut = budget;
    while (cut > 0 && isContinuation(text[cut])) --cut;
    return text.substr(0, cut);
}

std::uint32_t fnv1a32(std::string_view text) {
    std::uint32_t hash = 2166136261u;
    for (unsigned char c : text) hash = (hash ^ c) * 16777619u;
    return hash;
}

/// The mid as a name component: [A-Za-z0-9._-], no leading dot, at most kMidBytes; changed ones carry a hash.
std::string midComponent(std::string_view mid) {
    const std::string_view id = mid.substr(0, 4) == "mid:" ? mid.substr(4) : mid;
    std::string out;
    for (char c : id) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          c == '_' || c == '-';
        out += safe ? c : '_';
    }
    if (!out.empty() && out.front() == '.') out.front() = '_';
    if (!out.empty() && out == id && out.size() <= kMidBytes) return out;
    out.resize(std::min(out.size(), kMidPrefixBytes));
    return fmt::format("{}-{:08x}", out.empty() ? "message" : out, fnv1a32(mid));
}

/// The extension of `name` (lower case, without the dot), empty when it has none.
std::string extensionOf(std::string_view name) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || name.size() - dot - 1 > kExtensionBytes) return {};
    return lowerAscii(name.substr(dot + 1));
}

bool browserRuns(std::string_view extension) {
    static constexpr std::array<std::string_view, 17> kActive = {"html", "htm",   "xhtml", "xht", "xhtm", "shtml",
                                                                 "shtm", "svg",   "svgz",  "xml", "xsl",  "xslt",
                                                                 "mht",  "mhtml", "js",    "mjs", "hta"};
    return std::find(kActive.begin(), kActive.end(), extension) != kActive.end();
}

/// The payload's "name" string, if it has one.
std::string payloadName(const Attachment& a) {
    try {
        const auto doc = JsonDocument::parse(a.payloadJson.empty() ? "null" : a.payloadJson);
        if (const std::string* name = jsonStringField(&doc.root(), "name")) return *name;
    } catch (const JsonParseError&) {}
    return {};
}

}  // namespace

std::string sanitizedFileName(std::string_view name, std::size_t byteBudget) {
    const std::string safe = replaceUnsafe(name);
    std::string_view text = trimmed(safe);
    if (text.size() <= byteBudget) return std::string(text);
    const std::string extension = extensionOf(text);
    if (extension.empty() || extension.size() + 2 > byteBudget)
        return std::string(trimmed(cutAtBoundary(text, byteBudget)));
    const std::string_view ext = text.substr(text.size() - extension.size());  // as written, not lower-cased
    const std::string_view stem = trimmed(cutAtBoundary(text, byteBudget - ext.size() - 1));
    return std::string(stem) + "." + std::string(ext);
}

std::string extensionForMime(std::string_view mimeText) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 26> kExtensions = {{
        {"image/png", "png"},
        {"image/jpeg", "jpg"},
        {"image/gif", "gif"},
        {"image/webp", "webp"},
        {"image/bmp", "bmp"},
        {"image/x-icon", "ico"},
        {"image/vnd.microsoft.icon", "ico"},
        {"image/avif", "avif"},
        {"image/heic", "heic"},
        {"video/mp4", "mp4"},
        {"video/quicktime", "mov"},
        {"audio/mp4", "m4a"},
        {"video/webm", "webm"},
        {"audio/webm", "webm"},
        {"video/x-matroska", "mkv"},
        {"audio/ogg", "ogg"},
        {"video/ogg", "ogv"},
        {"audio/mpeg", "mp3"},
        {"audio/wav", "wav"},
        {"audio/x-wav", "wav"},
        {"audio/amr", "amr"},
        {"audio/flac", "flac"},
        {"application/pdf", "pdf"},
        {"application/zip", "zip"},
        {"application/gzip", "gz"},
        {"application/json", "json"},
    }};
    const std::string mime = lowerAscii(mimeText.substr(0, mimeText.find(';')));
    for (const auto& [type, extension] : kExtensions)
        if (mime == type) return std::string(extension);
    if (mime.rfind("text/", 0) == 0 || mime.find("xml") != std::string::npos) return "txt";
    return "bin";
}

std::string exportedMediaName(const Message& m, std::size_t position, std::string_view mime) {
    const CivilDate date = civilFromDays(floorDiv(m.timestamp, 86'400'000));
    const std::string prefix = fmt::format("{:04}-{:02}/{}_{}", std::clamp<std::int64_t>(date.year, 0, 9999),
                                           date.month, midComponent(m.mid), position);
    const std::string name =
        position < m.attachments.size() ? sanitizedFileName(payloadName(m.attachments[position])) : std::string();
    if (name.empty()) return fmt::format("{}.{}", prefix, extensionForMime(mime));
    const std::string extension = extensionOf(name);
    if (extension.empty() || browserRuns(extension))
        return fmt::format("{}_{}.{}", prefix, name, extensionForMime(mime));
    return fmt::format("{}_{}", prefix, name);
}

}  // namespace okarchive
