#include "exporters/HtmlAttachment.h"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "domain/TextFold.h"
#include "exporters/ExportMedia.h"
#include "exporters/HtmlText.h"
#include "exporters/SafeUrl.h"

namespace okarchive {
namespace {

constexpr std::size_t kPayloadChars = 2000;

/// What an attachment card says besides names from the payload, in each language.
struct Words {
    const char* notShown;  ///< before a refused URL
    const char* noCoordinates;
    const char* live;  ///< before a live location's period
    const char* noName;
    const char* button;
    const char* noButtons;
    const char* videoCall;
    const char* audioCall;
    const char* sharedContent;  ///< a shared item with neither title nor URL
    const char* unknown;        ///< "{}": the raw type of an unknown attachment
    const char* units[5];       ///< bytes, KB, MB, GB, TB
};

const Words kEnglish{"link not shown: not an http/https URL:",
                     "(no valid coordinates)",
                     "live for",
                     "(no name)",
                     "(button)",
                     "(no buttons)",
                     "Video call",
                     "Audio call",
                     "content",
                     "{} attachment",
                     {"B", "KB", "MB", "GB", "TB"}};
const Words kRussian{"ссылка не показана: это не адрес http/https:",
                     "(нет верных координат)",
                     "трансляция",
                     "(без имени)",
                     "(кнопка)",
                     "(нет кнопок)",
                     "Видеозвонок",
                     "Аудиозвонок",
                     "содержимое",
                     "Вложение {}",
                     {"Б", "КБ", "МБ", "ГБ", "ТБ"}};

/// What a renderer sees of one attachment: its payload if that is an object, the payload's "url" string, the
/// language, and the card's label (icon and type name, HTML).
struct AttachmentView {
    const JsonValue* payload = nullptr;
    const std::string* url = nullptr;
    Locale locale = Locale::English;
    const Words& words = kEnglish;
    std::string label = {};
    const MediaView* media = nullptr;  ///< set when the attachment has a ledger entry and --media is copy or none
};

using Renderer = void (*)(std::string& out, const AttachmentView& view);

std::optional<double> numberField(const JsonValue* object, std::string_view key) {
    if (!object) return std::nullopt;
    const JsonValue* v = object->find(key);
    if (!v || !v->isNumber()) return std::nullopt;
    const std::string text(v->raw());
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(d)) return std::nullopt;
    return d;
}

std::string humanSize(const AttachmentView& v, double bytes) { return humanByteSize(v.locale, bytes); }

std::string duration(double seconds) {
    const auto s = static_cast<long long>(seconds);
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

/// `label` (escaped HTML) as a link to `url` when it is a safe http(s) URL; else the label and why there is no link.
void appendLinkOrLabel(std::string& out, const AttachmentView& v, std::string_view label) {
    if (v.media) {  // copy or none: the local file, or no link at all (never the remote one)
        if (!v.media->copied()) {
            out += label;
            return;
        }
        out += "<a href=\"";
        appendRelativeUrl(out, v.media->path);
        out += "\">";
        out += label;
        out += "</a>";
        return;
    }
    const std::optional<std::string> safe = v.url ? safeHttpUrl(*v.url) : std::nullopt;
    if (safe) {
        appendSafeLinkStart(out, *safe);
        out += label;
        out += "</a>";
        return;
    }
    out += label;
    if (v.url && !v.url->empty()) {
        bool cut = false;
        out += fmt::format(" <span class=\"bad\">({} <code>", v.words.notShown);
        appendHtmlEscaped(out, utf8Prefix(*v.url, 200, &cut));
        if (cut) out += "\xE2\x80\xA6";
        out += "</code>)</span>";
    }
}

/// Photos, video, audio, files, music and stickers: the label, name/title/artist, size and duration, linked to the
/// remote file (never embedded).
void renderMedia(std::string& out, const AttachmentView& v) {
    std::string label = v.label;
    for (const char* key : {"name", "title", "artist"}) {
        if (const std::string* text = jsonStringField(v.payload, key)) {
            label += ' ';
            appendHtmlEscaped(label, *text);
        }
    }
    if (auto size = numberField(v.payload, "size"); size && *size >= 0) label += " (" + humanSize(v, *size) + ")";
    if (auto secs = numberField(v.payload, "duration"); secs && *secs >= 0) label += " (" + duration(*secs) + ")";
    appendLinkOrLabel(out, v, label);
}

void renderShare(std::string& out, const AttachmentView& v) {
    std::string label = v.label + ' ';
    if (const std::string* title = jsonStringField(v.payload, "title")) {
        appendHtmlEscaped(label, *title);
    } else if (v.url && safeHttpUrl(*v.url)) {
        bool cut = false;
        appendHtmlEscaped(label, utf8Prefix(*v.url, 200, &cut));
        if (cut) label += "\xE2\x80\xA6";
    } else {
        label += v.words.sharedContent;
    }
    appendLinkOrLabel(out, v, label);
}

void renderLocation(std::string& out, const AttachmentView& v) {
    const auto lat = numberField(v.payload, "latitude");
    const auto lon = numberField(v.payload, "longitude");
    out += v.label + ' ';
    if (!lat || !lon || std::abs(*lat) > 90 || std::abs(*lon) > 180) {
        out += v.words.noCoordinates;
        return;
    }
    const std::string url = fmt::format("https://www.openstreetmap.org/?mlat={0}&mlon={1}#map=16/{0}/{1}", *lat, *lon);
    appendSafeLinkStart(out, url);
    out += fmt::format("{}, {}</a>", *lat, *lon);
    if (auto live = numberField(v.payload, "livePeriod"); live && *live > 0)
        out += fmt::format(" ({} {})", v.words.live, duration(*live));
}

/// Appends `<span class="CSS">escaped text</span>` when the payload has the string field.
void appendFieldSpan(std::string& out, const JsonValue* payload, std::string_view key, const char* open) {
    const std::string* text = jsonStringField(payload, key);
    if (!text) return;
    out += open;
    appendHtmlEscaped(out, *text);
    out += "</span>";
}

void renderContact(std::string& out, const AttachmentView& v) {
    out += "<div class=\"card\">" + v.label + "<b><bdi>";
    const std::string* name = jsonStringField(v.payload, "name");
    appendHtmlEscaped(out, name ? std::string_view(*name) : std::string_view(v.words.noName));
    out += "</bdi></b>";
    appendFieldSpan(out, v.payload, "phone", "<span>");
    appendFieldSpan(out, v.payload, "id", "<span class=\"uid\">id ");
    out += "</div>";
}

void appendButton(std::string& out, const JsonValue& button, const Words& words) {
    const std::string* text = jsonStringField(&button, "text");
    std::string label = {};
    appendHtmlEscaped(label, text ? std::string_view(*text) : std::string_view(words.button));
    const std::string* link = jsonStringField(&button, "url");  // nullptr unless an object with a string url
    const std::optional<std::string> safe = link ? safeHttpUrl(*link) : std::nullopt;
    if (safe) {
        appendSafeLinkStart(out, *safe, "btn");
        out += label + "</a>";
    } else {
        out += "<span class=\"btn\">" + label + "</span>";
    }
}

/// One row of buttons (or a single button where a row was expected); returns the buttons written.
std::size_t appendButtonRow(std::string& out, const JsonValue& row, const Words& words) {
    if (!row.isArray()) {
        appendButton(out, row, words);
        return 1;
    }
    for (const JsonValue& button : row.items()) appendButton(out, button, words);
    return row.items().size();
}

/// Rows of buttons (a row may be a single button), from "buttons" or "keyboard"."buttons".
void renderKeyboard(std::string& out, const AttachmentView& v) {
    out += v.label + "<div class=\"kb\">";
    const JsonValue* buttons = nullptr;
    if (v.payload) {
        buttons = v.payload->find("buttons");
        if (const JsonValue* keyboard = v.payload->find("keyboard"); !buttons && keyboard)
            buttons = keyboard->find("buttons");
    }
    std::size_t count = 0;
    if (buttons && buttons->isArray()) {
        for (const JsonValue& row : buttons->items()) {
            out += "<div>";
            count += appendButtonRow(out, row, v.words);
            out += "</div>";
        }
    }
    if (count == 0) out += fmt::format("<div>{}</div>", v.words.noButtons);
    out += "</div>";
}

void renderCall(std::string& out, const AttachmentView& v) {
    const std::string* kind = jsonStringField(v.payload, "type");
    if (kind && (equalsIgnoringAsciiCase(*kind, "VIDEO") || equalsIgnoringAsciiCase(*kind, "AUDIO")))
        out += fmt::format("<span class=\"lbl\">\xF0\x9F\x93\x9E {}</span>",
                           equalsIgnoringAsciiCase(*kind, "VIDEO") ? v.words.videoCall : v.words.audioCall);
    else
        out += v.label;
    if (const std::string* hangup = jsonStringField(v.payload, "hangupType")) {
        out += " \xC2\xB7 ";
        appendHtmlEscaped(out, *hangup);
    }
    if (auto secs = numberField(v.payload, "duration"); secs && *secs >= 0) out += " \xC2\xB7 " + duration(*secs);
}

void renderPresent(std::string& out, const AttachmentView& v) {
    out += v.label;
    if (const std::string* status = jsonStringField(v.payload, "status")) {
        out += " (";
        appendHtmlEscaped(out, *status);
        out += ')';
    }
}

struct KnownType {
    const char* icon;
    Renderer render;
};

/// The icon and renderer of every known attachment type (upper case).
const std::unordered_map<std::string_view, KnownType>& knownTypes() {
    static const std::unordered_map<std::string_view, KnownType> table = {
        {"IMAGE", {"\xF0\x9F\x96\xBC", renderMedia}},     {"VIDEO", {"\xF0\x9F\x8E\xAC", renderMedia}},
        {"AUDIO", {"\xF0\x9F\x8E\xA4", renderMedia}},     {"FILE", {"\xF0\x9F\x93\x84", renderMedia}},
        {"MUSIC", {"\xF0\x9F\x8E\xB5", renderMedia}},     {"STICKER", {"\xF0\x9F\x92\x9F", renderMedia}},
        {"SHARE", {"\xF0\x9F\x94\x97", renderShare}},     {"LOCATION", {"\xF0\x9F\x93\x8D", renderLocation}},
        {"CONTACT", {"\xF0\x9F\x91\xA4", renderContact}}, {"INLINE_KEYBOARD", {"\xE2\x8C\xA8", renderKeyboard}},
        {"CALL", {"\xF0\x9F\x93\x9E", renderCall}},       {"PRESENT", {"\xF0\x9F\x8E\x81", renderPresent}},
    };
    return table;
}

void appendPayload(std::string& out, const std::string& payloadJson) {
    bool cut = false;
    out += "<pre>";
    appendHtmlEscaped(out, utf8Prefix(payloadJson, kPayloadChars, &cut));
    if (cut) out += "\xE2\x80\xA6";
    out += "</pre>";
}

/// The payload parsed, or nothing when absent, "null" or malformed (then `malformed` is set).
std::optional<JsonDocument> parsePayload(const Attachment& a, bool& malformed) {
    if (a.payloadJson.empty() || a.payloadJson == "null") return std::nullopt;
    try {
        return JsonDocument::parse(a.payloadJson);
    } catch (const JsonParseError&) {
        malformed = true;
        return std::nullopt;
    }
}

/// ` width="W" height="H"` when the file's header declared its size.
void appendDimensions(std::string& out, const MediaView& media) {
    if (media.size) out += fmt::format(" width=\"{}\" height=\"{}\"", media.size->width, media.size->height);
}

/// `<img class="CSS" src="..." width height alt="">` for an exported image.
void appendImage(std::string& out, const MediaView& media, std::string_view cssClass) {
    out += fmt::format("<img class=\"{}\" src=\"", cssClass);
    appendRelativeUrl(out, media.path);
    out += '"';
    appendDimensions(out, media);
    out += " alt=\"\" loading=\"lazy\">";
}

/// What --media=copy adds to a card: the exported file inline (image, sticker, player, contact photo), or why there
/// is no file; files are linked from the card itself.
void appendMediaElement(std::string& out, const AttachmentView& v, const std::string& type) {
    const MediaView& media = *v.media;
    if (!media.copied()) {
        out += "<span class=\"miss\">";
        appendHtmlEscaped(out, mediaMissingText(v.locale, media, true));
        out += "</span>";
        return;
    }
    const bool image = media.media->mime.rfind("image/", 0) == 0 || (media.media->mime.empty() && type == "IMAGE");
    if ((type == "IMAGE" || type == "STICKER" || type == "CONTACT") && image) {
        out += "<a class=\"media\" href=\"";
        appendRelativeUrl(out, media.path);
        out += "\">";
        appendImage(out, media, type == "STICKER" ? "sticker" : type == "CONTACT" ? "photo" : "image");
        out += "</a>";
    } else if (type == "AUDIO" || type == "VIDEO" || type == "MUSIC") {
        const char* element = type == "VIDEO" && media.media->mime.rfind("audio/", 0) != 0 ? "video" : "audio";
        out += fmt::format("<{} class=\"media\" controls preload=\"metadata\" src=\"", element);
        appendRelativeUrl(out, media.path);
        out += '"';
        out += fmt::format("></{}>", element);
    }
}

}  // namespace

const std::string* jsonStringField(const JsonValue* object, std::string_view key) {
    if (!object) return nullptr;
    const JsonValue* v = object->find(key);
    return v && v->isString() ? &v->asString() : nullptr;
}

std::string humanByteSize(Locale locale, double bytes) {
    const Words& words = locale == Locale::Russian ? kRussian : kEnglish;
    if (bytes < 1024) return groupedCount(locale, static_cast<long long>(bytes)) + " " + words.units[0];
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    return localDecimal(locale, bytes, 1) + " " + words.units[unit];
}

void appendRelativeUrl(std::string& out, std::string_view path) {
    for (std::size_t start = 0;;) {
        const std::size_t slash = path.find('/', start);
        appendUrlComponent(out, path.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (slash == std::string_view::npos) break;
        out += '/';
        start = slash + 1;
    }
}

void appendHtmlAttachment(std::string& out, const Attachment& a, Locale locale, const MediaView* media) {
    bool malformed = false;
    const std::optional<JsonDocument> doc = parsePayload(a, malformed);
    AttachmentView view{.locale = locale, .words = locale == Locale::Russian ? kRussian : kEnglish};
    view.payload = doc && doc->root().isObject() ? &doc->root() : nullptr;
    view.url = jsonStringField(view.payload, "url");
    if (media && media->media && media->mode != MediaExportMode::Link) view.media = media;
    out += "<div class=\"at\">";
    const auto& table = knownTypes();
    const std::string type = upperAscii(a.type);
    if (const auto it = table.find(type); it != table.end()) {
        view.label = fmt::format("<span class=\"lbl\">{} ", it->second.icon);
        appendHtmlEscaped(view.label, attachmentTypeName(locale, a.type));
        view.label += "</span>";
        it->second.render(out, view);
    } else {  // unknown type: its raw name, and its payload below
        out += "<span class=\"lbl\">";
        appendHtmlEscaped(out, fmt::format(fmt::runtime(view.words.unknown), a.type.empty() ? "?" : a.type));
        out += "</span>";
        if (view.media && view.media->copied()) appendLinkOrLabel(out, view, " \xF0\x9F\x93\x84");
        malformed = true;
    }
    if (view.media && view.media->mode == MediaExportMode::Copy) appendMediaElement(out, view, type);
    if (malformed && !a.payloadJson.empty() && a.payloadJson != "null") appendPayload(out, a.payloadJson);
    out += "</div>";
}

}  // namespace okarchive
