#include "exporters/HtmlAttachment.h"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "exporters/HtmlText.h"
#include "exporters/SafeUrl.h"

namespace okarchive {
namespace {

constexpr std::size_t kPayloadChars = 2000;

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

std::string humanSize(double bytes) {
    if (bytes < 1024) return fmt::format("{} B", static_cast<long long>(bytes));
    const char* units[] = {"KB", "MB", "GB", "TB"};
    int unit = -1;
    while (bytes >= 1024 && unit < 3) {
        bytes /= 1024;
        ++unit;
    }
    return fmt::format("{:.1f} {}", bytes, units[unit]);
}

std::string duration(double seconds) {
    const auto s = static_cast<long long>(seconds);
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

/// What a renderer sees of one attachment: its payload if that is an object, and the payload's "url" string.
struct AttachmentView {
    const JsonValue* payload = nullptr;
    const std::string* url = nullptr;
};

using Renderer = void (*)(std::string& out, const AttachmentView& view);

void appendSafeLinkStart(std::string& out, const std::string& safeUrl, const char* cssClass = nullptr) {
    out += cssClass ? fmt::format("<a class=\"{}\" href=\"", cssClass) : std::string("<a href=\"");
    appendHtmlEscaped(out, safeUrl);
    out += "\" rel=\"noreferrer noopener\">";
}

/// `label` (escaped HTML) as a link to `url` when it is a safe http(s) URL; else the label and why there is no link.
void appendLinkOrLabel(std::string& out, const std::string* url, std::string_view label) {
    const std::optional<std::string> safe = url ? safeHttpUrl(*url) : std::nullopt;
    if (safe) {
        appendSafeLinkStart(out, *safe);
        out += label;
        out += "</a>";
        return;
    }
    out += label;
    if (url && !url->empty()) {
        bool cut = false;
        out += " <span class=\"bad\">(link not shown: not an http/https URL: <code>";
        appendHtmlEscaped(out, utf8Prefix(*url, 200, &cut));
        if (cut) out += "\xE2\x80\xA6";
        out += "</code>)</span>";
    }
}

void renderImage(std::string& out, const AttachmentView& v) {
    const std::optional<std::string> safe = v.url ? safeHttpUrl(*v.url) : std::nullopt;
    if (!safe) return appendLinkOrLabel(out, v.url, "<span class=\"lbl\">\xF0\x9F\x96\xBC Image</span>");
    appendSafeLinkStart(out, *safe);
    out += "<img src=\"";
    appendHtmlEscaped(out, *safe);
    out += "\" alt=\"Image\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></a>";
}

/// Video, audio, files, music and stickers: an icon, the name/title/artist, size and duration, linked to the file.
void renderMedia(std::string& out, const AttachmentView& v, const char* icon) {
    std::string label = fmt::format("<span class=\"lbl\">{}</span>", icon);
    for (const char* key : {"name", "title", "artist"}) {
        if (const std::string* text = jsonStringField(v.payload, key)) {
            label += ' ';
            appendHtmlEscaped(label, *text);
        }
    }
    if (auto size = numberField(v.payload, "size"); size && *size >= 0) label += " (" + humanSize(*size) + ")";
    if (auto secs = numberField(v.payload, "duration"); secs && *secs >= 0) label += " (" + duration(*secs) + ")";
    appendLinkOrLabel(out, v.url, label);
}

void renderShare(std::string& out, const AttachmentView& v) {
    std::string label = "<span class=\"lbl\">\xF0\x9F\x94\x97 Shared</span> ";
    if (const std::string* title = jsonStringField(v.payload, "title")) {
        appendHtmlEscaped(label, *title);
    } else if (v.url && safeHttpUrl(*v.url)) {
        bool cut = false;
        appendHtmlEscaped(label, utf8Prefix(*v.url, 200, &cut));
        if (cut) label += "\xE2\x80\xA6";
    } else {
        label += "content";
    }
    appendLinkOrLabel(out, v.url, label);
}

void renderLocation(std::string& out, const AttachmentView& v) {
    const auto lat = numberField(v.payload, "latitude");
    const auto lon = numberField(v.payload, "longitude");
    out += "<span class=\"lbl\">\xF0\x9F\x93\x8D Location</span> ";
    if (!lat || !lon || std::abs(*lat) > 90 || std::abs(*lon) > 180) {
        out += "(no valid coordinates)";
        return;
    }
    out += fmt::format(
        "<a href=\"https://www.openstreetmap.org/?mlat={0}&amp;mlon={1}#map=16/{0}/{1}\" "
        "rel=\"noreferrer noopener\">{0}, {1}</a>",
        *lat, *lon);
    if (auto live = numberField(v.payload, "livePeriod"); live && *live > 0)
        out += " (live for " + duration(*live) + ")";
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
    out += "<div class=\"card\"><span class=\"lbl\">\xF0\x9F\x91\xA4 Contact</span><b><bdi>";
    const std::string* name = jsonStringField(v.payload, "name");
    appendHtmlEscaped(out, name ? std::string_view(*name) : std::string_view("(no name)"));
    out += "</bdi></b>";
    appendFieldSpan(out, v.payload, "phone", "<span>");
    appendFieldSpan(out, v.payload, "id", "<span class=\"uid\">id ");
    out += "</div>";
}

void appendButton(std::string& out, const JsonValue& button) {
    const std::string* text = jsonStringField(&button, "text");
    std::string label;
    appendHtmlEscaped(label, text ? std::string_view(*text) : std::string_view("(button)"));
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
std::size_t appendButtonRow(std::string& out, const JsonValue& row) {
    if (!row.isArray()) {
        appendButton(out, row);
        return 1;
    }
    for (const JsonValue& button : row.items()) appendButton(out, button);
    return row.items().size();
}

/// Rows of buttons (a row may be a single button), from "buttons" or "keyboard"."buttons".
void renderKeyboard(std::string& out, const AttachmentView& v) {
    out += "<span class=\"lbl\">\xE2\x8C\xA8 Buttons</span><div class=\"kb\">";
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
            count += appendButtonRow(out, row);
            out += "</div>";
        }
    }
    if (count == 0) out += "<div>(no buttons)</div>";
    out += "</div>";
}

void renderCall(std::string& out, const AttachmentView& v) {
    const std::string* kind = jsonStringField(v.payload, "type");
    out += fmt::format("<span class=\"lbl\">\xF0\x9F\x93\x9E {} call</span>",
                       kind && *kind == "VIDEO" ? "Video" : (kind && *kind == "AUDIO" ? "Audio" : "A"));
    if (const std::string* hangup = jsonStringField(v.payload, "hangupType")) {
        out += " \xC2\xB7 ";
        appendHtmlEscaped(out, *hangup);
    }
    if (auto secs = numberField(v.payload, "duration"); secs && *secs >= 0) out += " \xC2\xB7 " + duration(*secs);
}

void renderPresent(std::string& out, const AttachmentView& v) {
    out += "<span class=\"lbl\">\xF0\x9F\x8E\x81 Present</span>";
    if (const std::string* status = jsonStringField(v.payload, "status")) {
        out += " (";
        appendHtmlEscaped(out, *status);
        out += ')';
    }
}

/// The renderer of every known attachment type.
const std::unordered_map<std::string_view, Renderer>& renderers() {
    static const std::unordered_map<std::string_view, Renderer> table = {
        {"IMAGE", renderImage},
        {"VIDEO", [](std::string& out, const AttachmentView& v) { renderMedia(out, v, "\xF0\x9F\x8E\xAC Video"); }},
        {"AUDIO", [](std::string& out, const AttachmentView& v) { renderMedia(out, v, "\xF0\x9F\x8E\xA4 Audio"); }},
        {"FILE", [](std::string& out, const AttachmentView& v) { renderMedia(out, v, "\xF0\x9F\x93\x84 File"); }},
        {"MUSIC",
         [](std::string& out, const AttachmentView& v) { renderMedia(out, v, "\xF0\x9F\x8E\xB5 Music track"); }},
        {"STICKER", [](std::string& out, const AttachmentView& v) { renderMedia(out, v, "\xF0\x9F\x92\x9F Sticker"); }},
        {"SHARE", renderShare},
        {"LOCATION", renderLocation},
        {"CONTACT", renderContact},
        {"INLINE_KEYBOARD", renderKeyboard},
        {"CALL", renderCall},
        {"PRESENT", renderPresent},
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

}  // namespace

const std::string* jsonStringField(const JsonValue* object, std::string_view key) {
    if (!object) return nullptr;
    const JsonValue* v = object->find(key);
    return v && v->isString() ? &v->asString() : nullptr;
}

void appendHtmlAttachment(std::string& out, const Attachment& a) {
    const bool hasPayload = !a.payloadJson.empty() && a.payloadJson != "null";
    std::optional<JsonDocument> doc;
    bool malformed = false;
    if (hasPayload) {
        try {
            doc = JsonDocument::parse(a.payloadJson);
        } catch (const JsonParseError&) {
            malformed = true;
        }
    }
    AttachmentView view;
    view.payload = doc && doc->root().isObject() ? &doc->root() : nullptr;
    view.url = jsonStringField(view.payload, "url");
    out += "<div class=\"at\">";
    const auto& table = renderers();
    if (const auto it = table.find(a.type); it != table.end()) {
        it->second(out, view);
    } else {  // unknown type: its name, and its payload below
        out += "<span class=\"lbl\">";
        appendHtmlEscaped(out, a.type.empty() ? std::string_view("Unknown") : std::string_view(a.type));
        out += " attachment</span>";
        malformed = true;
    }
    if (malformed && hasPayload) appendPayload(out, a.payloadJson);
    out += "</div>";
}

}  // namespace okarchive
