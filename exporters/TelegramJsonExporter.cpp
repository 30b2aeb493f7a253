#include "exporters/TelegramJsonExporter.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "domain/CivilDate.h"
#include "domain/Json.h"
#include "exporters/ExportJob.h"
#include "exporters/ExportMedia.h"
#include "exporters/HtmlAttachment.h"
#include "exporters/SafeUrl.h"
#include "exporters/TextLinks.h"

namespace okarchive {
namespace {

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

/// The payload of an attachment, parsed; nothing if it is not JSON (the NDJSON export keeps it verbatim).
std::optional<JsonDocument> parsedPayload(const Attachment& a) {
    try {
        return JsonDocument::parse(a.payloadJson.empty() ? "null" : a.payloadJson);
    } catch (const JsonParseError&) {
        return std::nullopt;
    }
}

const JsonValue* numberField(const JsonValue& object, std::string_view key) {
    const JsonValue* value = object.find(key);
    return value && value->isNumber() ? value : nullptr;
}

/// Writes a name, or null when it is empty (as Telegram writes a peer without a name).
void nameOrNull(JsonWriter& json, std::string_view name) {
    if (name.empty())
        json.null();
    else
        json.value(name);
}

/// Telegram's fields of a file: the path key with the exported copy's path (relative to the file, as Telegram
/// Desktop writes it) or, when there is none, the phrase of a file it did not download; then media_type if any.
void fileReference(JsonWriter& json, std::string_view key, std::string_view mediaType, std::string_view path) {
    json.key(key).value(path.empty() ? kTelegramFileNotIncluded : path);
    if (!mediaType.empty()) json.key("media_type").value(mediaType);
}

void writePhoto(JsonWriter& json, const JsonValue& payload, std::string_view path) {
    fileReference(json, "photo", "", path);
    const JsonValue* width = numberField(payload, "width");
    const JsonValue* height = numberField(payload, "height");
    if (width && height) json.key("width").raw(width->raw()).key("height").raw(height->raw());
}

void writeFile(JsonWriter& json, const JsonValue& payload, std::string_view path) {
    fileReference(json, "file", "", path);
    if (const std::string* name = jsonStringField(&payload, "name")) json.key("file_name").value(*name);
    if (const JsonValue* size = numberField(payload, "size")) json.key("file_size").raw(size->raw());
}

void writeContact(JsonWriter& json, const JsonValue& payload, std::string_view) {
    const std::string* name = jsonStringField(&payload, "name");
    const std::string* phone = jsonStringField(&payload, "phone");
    json.key("contact_information").beginObject().key("first_name").value(name ? *name : std::string());
    json.key("last_name").value("").key("phone_number").value(phone ? *phone : std::string()).endObject();
}

void writeLocation(JsonWriter& json, const JsonValue& payload, std::string_view) {
    const JsonValue* latitude = numberField(payload, "latitude");
    const JsonValue* longitude = numberField(payload, "longitude");
    json.key("location_information");
    if (!latitude || !longitude) {
        json.null();
        return;
    }
    json.beginObject().key("latitude").raw(latitude->raw()).key("longitude").raw(longitude->raw()).endObject();
    if (const JsonValue* period = numberField(payload, "livePeriod"))
        json.key("live_location_period_seconds").raw(period->raw());
}

using MediaWriter = void (*)(JsonWriter&, const JsonValue&, std::string_view path);

/// Telegram's media fields for each OK attachment type that has an equivalent (SHARE goes into the text instead).
const std::unordered_map<std::string_view, MediaWriter>& mediaWriters() {
    static const std::unordered_map<std::string_view, MediaWriter> table = {
        {"IMAGE", writePhoto},
        {"VIDEO",
         [](JsonWriter& j, const JsonValue&, std::string_view p) { fileReference(j, "file", "video_file", p); }},
        {"AUDIO",
         [](JsonWriter& j, const JsonValue&, std::string_view p) { fileReference(j, "file", "voice_message", p); }},
        {"MUSIC",
         [](JsonWriter& j, const JsonValue&, std::string_view p) { fileReference(j, "file", "audio_file", p); }},
        {"STICKER",
         [](JsonWriter& j, const JsonValue&, std::string_view p) { fileReference(j, "file", "sticker", p); }},
        {"FILE", writeFile},
        {"CONTACT", writeContact},
        {"LOCATION", writeLocation},
    };
    return table;
}

/// Telegram's action for each OK service kind it has; others keep their OK name.
const std::unordered_map<std::string_view, std::string_view>& actions() {
    static const std::unordered_map<std::string_view, std::string_view> table = {
        {"EXIT", "remove_members"},     {"LEAVE", "remove_members"},     {"REMOVE", "remove_members"},
        {"KICK", "remove_members"},     {"ADD", "invite_members"},       {"INVITE", "invite_members"},
        {"JOIN", "join_group_by_link"}, {"ENTER", "join_group_by_link"}, {"TITLE", "edit_group_title"},
        {"ICON", "edit_group_photo"},
    };
    return table;
}

/// The new title of a TITLE event, from its text ({"ty":"TITLE","title":"..."}).
std::optional<std::string> eventTitle(const Message& m) {
    if (!m.text) return std::nullopt;
    try {
        auto doc = JsonDocument::parse(*m.text);
        if (const std::string* title = jsonStringField(&doc.root(), "title")) return *title;
    } catch (const JsonParseError&) {}
    return std::nullopt;
}

/// The payload's top-level "url" string of each SHARE attachment, after the text on lines of their own.
void appendSharedLinks(std::string& text, const Message& m) {
    for (const auto& a : m.attachments) {
        if (upper(a.type) != "SHARE") continue;
        const auto payload = parsedPayload(a);
        const std::string* url = payload ? jsonStringField(&payload->root(), "url") : nullptr;
        if (!url || url->empty()) continue;
        if (!text.empty()) text += '\n';
        text += *url;
    }
}

/// The text's pieces with only the URLs safeHttpUrl accepts as links (as the HTML export links them), a refused one
/// joined to the plain text around it.
std::vector<TextPiece> safeLinkPieces(std::string_view text) {
    std::vector<TextPiece> pieces;
    for (TextPiece piece : splitLinks(text)) {
        piece.link = piece.link && safeHttpUrl(piece.text);
        if (!piece.link && !pieces.empty() && !pieces.back().link)  // adjacent views of `text`: one piece
            pieces.back().text =
                std::string_view(pieces.back().text.data(), pieces.back().text.size() + piece.text.size());
        else
            pieces.push_back(piece);
    }
    return pieces;
}

}  // namespace

std::int64_t telegramChatNumber(std::string_view chatId) {
    std::string_view rest = chatId.substr(0, 5) == "chat:" ? chatId.substr(5) : chatId;
    const bool hex = !rest.empty() && rest.size() <= 13 && std::all_of(rest.begin(), rest.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
    });
    if (hex) return static_cast<std::int64_t>(std::stoull(std::string(rest), nullptr, 16));
    std::uint64_t h = 14695981039346656037ull;
    for (char c : chatId) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<std::int64_t>(h & ((1ull << 53) - 1));
}

std::string_view telegramChatType(std::string_view okType) {
    const std::string type = upper(okType);
    if (type == "DIALOG") return "personal_chat";
    if (type == "CHANNEL") return "private_channel";
    return "private_group";
}

std::string telegramPeerId(std::string_view okUserId) {
    std::string id(okUserId);
    if (const auto colon = id.find(':'); colon != std::string::npos) id.erase(colon, 1);
    return id;
}

std::uint64_t TelegramMessageIds::number(const Message& message) {
    _keys.emplace_back(message.timestamp, message.seq);
    return _keys.size();
}

std::optional<std::uint64_t> TelegramMessageIds::find(std::int64_t timestamp, std::int64_t seq) const {
    const std::pair<std::int64_t, std::int64_t> key{timestamp, seq};
    const auto it = std::lower_bound(_keys.begin(), _keys.end(), key);
    if (it == _keys.end() || *it != key) return std::nullopt;
    return static_cast<std::uint64_t>(it - _keys.begin()) + 1;
}

TelegramJsonExporter::TelegramJsonExporter(std::ostream& out, const TelegramJsonOptions& options,
                                           TelegramMessageIds& ids, const ExportPart* part)
    : _out(out), _options(options), _ids(ids), _part(part) {}

void TelegramJsonExporter::flush() {
    _out.write(_buffer.data(), static_cast<std::streamsize>(_buffer.size()));
    _buffer.clear();
}

void TelegramJsonExporter::begin() {
    _json.beginObject().key("name").value(_options.chatName.empty() ? _options.chatId : _options.chatName);
    _json.key("type").value(telegramChatType(_options.chatType)).key("id").value(telegramChatNumber(_options.chatId));
    _json.key("messages").beginArray();
    flush();
}

void TelegramJsonExporter::write(const Message& m) {
    const bool service = m.service.has_value();
    writeStart(m, service);
    if (service) {
        writeService(m);
        writeText("");
    } else {
        if (!m.senderId.empty()) {
            _json.key("from");
            nameOrNull(_json, m.senderName);
            _json.key("from_id").value(telegramPeerId(m.senderId));
        }
        writeReply(m);
        writeMedia(m);
        _text.assign(m.text.value_or(std::string()));
        appendSharedLinks(_text, m);
        writeText(_text);
    }
    _json.endObject();
    flush();
    _any = true;
}

void TelegramJsonExporter::end() {
    if (_any) _json.lineBreak();
    _json.endArray().endObject();
    _buffer += '\n';
    flush();
}

void TelegramJsonExporter::writeStart(const Message& m, bool service) {
    static const TimeZone utc = TimeZone::utc();
    const TimeZone& zone = _options.timeZone ? *_options.timeZone : utc;
    _json.lineBreak().beginObject().key("id").value(_ids.number(m)).key("type").value(service ? "service" : "message");
    const auto telegramDate = [&zone](std::int64_t ms) {
        std::string date = zone.localIso(ms);
        date.resize(std::min<std::size_t>(date.size(), 19));  // 2017-06-27T19:34:52: local, no fraction, no offset
        return date;
    };
    _json.key("date").value(telegramDate(m.timestamp));
    _json.key("date_unixtime").value(std::to_string(floorDiv(m.timestamp, 1000)));
    if (m.editedAtMs) {  // as Telegram Desktop writes an edited message: when the archive saw the change
        _json.key("edited").value(telegramDate(*m.editedAtMs));
        _json.key("edited_unixtime").value(std::to_string(floorDiv(*m.editedAtMs, 1000)));
    }
}

void TelegramJsonExporter::writeService(const Message& m) {
    _json.key("actor");
    nameOrNull(_json, m.senderName);
    if (!m.senderId.empty()) _json.key("actor_id").value(telegramPeerId(m.senderId));
    const std::string type = upper(m.service->type);
    const auto it = actions().find(type);
    _json.key("action").value(it == actions().end() ? std::string_view(m.service->type) : it->second);
    if (type == "TITLE") {
        if (const auto title = eventTitle(m)) _json.key("title").value(*title);
    } else if (type == "ICON") {
        _json.key("photo").value(kTelegramFileNotIncluded);
    } else if (it != actions().end() && it->second != "join_group_by_link") {
        writeMembers(m);
    }
}

void TelegramJsonExporter::writeMembers(const Message& m) {
    _json.key("members").beginArray();
    const auto& subject = m.service->userId;
    if (!subject || *subject == m.senderId) {
        nameOrNull(_json, m.senderName);
    } else {
        const auto name = _options.userName ? _options.userName(*subject) : std::nullopt;
        nameOrNull(_json, name ? *name : std::string());
    }
    _json.endArray();
}

void TelegramJsonExporter::writeReply(const Message& m) {
    if (!m.replyTo || !_options.replies) return;
    const auto target = _options.replies->find(*m.replyTo);
    if (!target || !target->inExport) return;
    if (const auto id = _ids.find(target->timestamp, target->seq)) _json.key("reply_to_message_id").value(*id);
}

void TelegramJsonExporter::writeMedia(const Message& m) {
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
        const Attachment& a = m.attachments[i];
        const auto it = mediaWriters().find(upper(a.type));
        if (it == mediaWriters().end()) continue;
        const auto payload = parsedPayload(a);
        static const JsonDocument empty = JsonDocument::parse("{}");
        const MediaView media = a.media && _part ? exportMediaView(*_part, m, i) : MediaView{};
        it->second(_json, payload ? payload->root() : empty.root(), media.copied() ? media.path : std::string());
        return;  // a Telegram message holds one media
    }
}

void TelegramJsonExporter::writeText(std::string_view text) {
    const auto pieces = safeLinkPieces(text);
    _json.key("text");
    if (pieces.empty()) {
        _json.value("");
    } else if (pieces.size() == 1 && !pieces[0].link) {
        _json.value(pieces[0].text);
    } else {
        _json.beginArray();
        for (const auto& piece : pieces) {
            if (piece.link)
                _json.beginObject().key("type").value("link").key("text").value(piece.text).endObject();
            else
                _json.value(piece.text);
        }
        _json.endArray();
    }
    _json.key("text_entities").beginArray();
    for (const auto& piece : pieces)
        _json.beginObject().key("type").value(piece.link ? "link" : "plain").key("text").value(piece.text).endObject();
    _json.endArray();
}

}  // namespace okarchive

namespace okarchive {
namespace {

class TelegramJsonSession : public FormatSession {
public:
    explicit TelegramJsonSession(const ExportRequest& r)
        : _options{r.chatTitle, r.chatType, r.chatId, &r.timeZone, r.replies, r.userName} {}
    std::unique_ptr<Exporter> openPart(std::ostream& out, const ExportPart& part) override {
        return std::make_unique<TelegramJsonExporter>(out, _options, _ids, &part);
    }

private:
    const TelegramJsonOptions _options;
    TelegramMessageIds _ids;  // numbers run on across parts
};

class TelegramJsonFormat : public ExportFormat {
public:
    TelegramJsonFormat() : ExportFormat("telegram-json", "telegram.json") {}

protected:
    std::unique_ptr<FormatSession> openSession(const ExportRequest& request) const override {
        return std::make_unique<TelegramJsonSession>(request);
    }
};

}  // namespace

const ExportFormat& telegramJsonExportFormat() {
    static const TelegramJsonFormat format;
    return format;
}

}  // namespace okarchive
