#include "api/MessageDecoder.h"

#include <charconv>

#include <fmt/format.h>

namespace okarchive {
namespace {

constexpr std::int64_t kEarliestTimestampMs = 946'684'800'000;  // 2000-01-01T00:00:00Z
constexpr std::int64_t kTimestampsEndMs = 253'402'300'800'000;  // 10000-01-01T00:00:00Z (exclusive)

bool plausibleTimestamp(std::int64_t ms) { return ms >= kEarliestTimestampMs && ms < kTimestampsEndMs; }

/// A member of `primary`, else of `fallback` (either may be null or not an object). JSON null counts as absent.
const JsonValue* member(const JsonValue* primary, const JsonValue* fallback, std::string_view key) {
    for (const JsonValue* object : {primary, fallback}) {
        if (!object) continue;
        if (const JsonValue* v = object->find(key); v && !v->isNull()) return v;
    }
    return nullptr;
}

/// An exact int64 from a JSON integer or a string holding one (no double on the way).
std::optional<std::int64_t> exactInt(const JsonValue& v) {
    if (v.isInteger()) return v.asInt64();
    if (v.isString()) {
        const std::string& s = v.asString();
        std::int64_t out = 0;
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (!s.empty() && ec == std::errc() && ptr == s.data() + s.size()) return out;
    }
    return std::nullopt;
}

/// A string member's value; a number or other scalar is kept as its JSON text (ids sometimes arrive as numbers).
std::optional<std::string> textOf(const JsonValue* v) {
    if (!v) return std::nullopt;
    if (v->isString()) return v->asString();
    return std::string(v->raw());
}

std::string where(const std::string& mid) { return mid.empty() ? std::string("a message") : "message " + mid; }

Attachment decodeAttachment(const JsonValue& v) {
    Attachment a;
    if (v.isObject()) {
        if (const JsonValue* type = v.find("type"); type && !type->isNull()) a.type = textOf(type).value();
        const JsonValue* payload = v.find("payload");
        a.payloadJson = payload ? std::string(payload->raw()) : "null";
    } else {
        a.payloadJson = std::string(v.raw());  // not the documented shape: keep it whole rather than drop it
    }
    return a;
}

std::optional<std::string> decodeReplyTo(const JsonValue* v) {
    if (!v) return std::nullopt;
    if (v->isString()) return v->asString();
    if (v->isObject()) {  // tolerate {"mid":"mid:..."}
        if (const JsonValue* mid = v->find("mid"); mid && mid->isString()) return mid->asString();
    }
    return std::nullopt;
}

/// An exact int64 field that must be there (`label` names it in errors, e.g. "message.seq").
std::int64_t requiredInt(const JsonValue* v, const char* label, const std::string& mid) {
    if (!v) throw JsonParseError(fmt::format("{} has no {} field", where(mid), label));
    const auto value = exactInt(*v);
    if (!value)
        throw JsonParseError(
            fmt::format("{}: {} {} is not an exact 64-bit integer", where(mid), label, v->raw().substr(0, 40)));
    return *value;
}

/// mid, seq and timestamp: what identifies and orders a message.
void decodeIdentity(Message& m, const JsonValue& object, const JsonValue* body) {
    if (const JsonValue* mid = member(body, &object, "mid")) {
        if (!mid->isString()) throw JsonParseError(fmt::format("a message has a non-string mid {}", mid->raw()));
        m.mid = mid->asString();
    }
    if (m.mid.empty()) throw JsonParseError("a message has no message.mid field");
    m.seq = requiredInt(member(body, &object, "seq"), "message.seq", m.mid);
    m.timestamp = requiredInt(member(&object, body, "timestamp"), "timestamp", m.mid);
    if (!plausibleTimestamp(m.timestamp))
        throw JsonParseError(
            fmt::format("{}: timestamp {} is outside the years 2000..9999 (ms)", where(m.mid), m.timestamp));
}

/// Who sent it and where to (the recipient's chat_id, else the chat asked for).
void decodeParties(Message& m, const JsonValue& object, const std::string& chatId) {
    if (const JsonValue* sender = object.find("sender"); sender && sender->isObject()) {
        m.senderId = textOf(member(sender, nullptr, "user_id")).value_or("");
        m.senderName = textOf(member(sender, nullptr, "name")).value_or("");
    }
    m.chatId = chatId;
    if (const JsonValue* recipient = object.find("recipient"); recipient && recipient->isObject()) {
        if (auto id = textOf(member(recipient, nullptr, "chat_id")); id && !id->empty()) m.chatId = *id;
    }
}

/// "attachment" (one) and "attachments" (an array, or one object where an array belongs).
void decodeAttachments(Message& m, const JsonValue& object, const JsonValue* body) {
    if (const JsonValue* single = member(body, &object, "attachment"))
        m.attachments.push_back(decodeAttachment(*single));
    const JsonValue* many = member(body, &object, "attachments");
    if (!many) return;
    if (!many->isArray()) {
        m.attachments.push_back(decodeAttachment(*many));
        return;
    }
    for (const JsonValue& item : many->items())
        if (!item.isNull()) m.attachments.push_back(decodeAttachment(item));
}

/// An object that cannot be decoded as a message, kept whole for the quarantine with what can be known of it: its
/// mid (if a string) and its timestamp (if an exact, plausible one).
Message undecodableMessage(const JsonValue& item, const std::string& chatId, const std::string& why) {
    Message m;
    m.chatId = chatId;
    m.rawJson = std::string(item.raw());
    m.undecodable = why;
    m.hasTimestamp = false;
    if (!item.isObject()) return m;
    const JsonValue* body = item.find("message");
    if (body && !body->isObject()) body = nullptr;
    if (const JsonValue* mid = member(body, &item, "mid"); mid && mid->isString()) m.mid = mid->asString();
    if (const JsonValue* t = member(&item, body, "timestamp")) {
        const auto value = exactInt(*t);
        m.hasTimestamp = value && plausibleTimestamp(*value);
        if (m.hasTimestamp) m.timestamp = *value;
    }
    return m;
}

/// `"deleted": true` (exactly JSON true) in the top-level object or in "message": the API's own mark on a message
/// include_deleted=true brought back.
bool flaggedDeleted(const JsonValue& object, const JsonValue* body) {
    const auto isTrue = [](const JsonValue* v) { return v && v->type() == JsonValue::Type::Bool && v->asBool(); };
    return isTrue(object.find("deleted")) || (body && isTrue(body->find("deleted")));
}

}  // namespace

Message decodeMessage(const JsonValue& object, const std::string& chatId) {
    if (!object.isObject())
        throw JsonParseError(fmt::format("a message in the page is {}, not a JSON object", object.raw().substr(0, 20)));
    const JsonValue* body = object.find("message");
    if (body && !body->isObject()) body = nullptr;

    Message m;
    m.rawJson = std::string(object.raw());
    // Fields are read from "message" first, then from the top level (tolerates a flattened shape).
    decodeIdentity(m, object, body);
    decodeParties(m, object, chatId);
    m.text = textOf(member(body, &object, "text"));
    if (m.text) m.service = decodeServiceText(*m.text);
    decodeAttachments(m, object, body);
    m.replyTo = decodeReplyTo(member(body, &object, "reply_to"));
    m.flaggedDeleted = flaggedDeleted(object, body);
    return m;
}

std::vector<Message> decodeMessagePage(const JsonValue& root, const std::string& chatId) {
    if (!root.isObject()) throw JsonParseError(fmt::format("a history page for {} is not a JSON object", chatId));
    std::vector<Message> out;
    const JsonValue* messages = root.find("messages");
    if (!messages || messages->isNull()) return out;  // {} = empty page (servers often omit empty arrays)
    if (!messages->isArray())
        throw JsonParseError(fmt::format("a history page for {}: \"messages\" is not an array", chatId));
    out.reserve(messages->items().size());
    for (const JsonValue& item : messages->items()) {
        try {
            Message m = decodeMessage(item, chatId);
            if (m.chatId != chatId)  // a page of this chat cannot hold another chat's message: never file it there
                throw JsonParseError(
                    fmt::format("{}: its recipient is {}, not the chat asked for", where(m.mid), m.chatId));
            out.push_back(std::move(m));
        } catch (const JsonParseError& e) {  // one odd message must not stall the chat: it goes to the quarantine
            out.push_back(undecodableMessage(item, chatId, e.what()));
        }
    }
    return out;
}

std::optional<ServiceEvent> decodeServiceText(std::string_view text) {
    // Cheap pre-check, so ordinary text never pays for an exception.
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
    if (i == text.size() || text[i] != '{' || text.find("\"ty\"") == std::string_view::npos) return std::nullopt;
    try {
        JsonDocument doc = JsonDocument::parse(std::string(text));
        const JsonValue& root = doc.root();
        if (!root.isObject()) return std::nullopt;
        const JsonValue* ty = root.find("ty");
        if (!ty || !ty->isString()) return std::nullopt;
        ServiceEvent event;
        event.type = ty->asString();
        if (const JsonValue* ui = root.find("ui")) {
            if (ui->isInteger()) {
                event.userId = "user:" + std::to_string(ui->asInt64());
            } else if (ui->isString() && !ui->asString().empty()) {
                const std::string& s = ui->asString();
                event.userId = s.rfind("user:", 0) == 0 ? s : "user:" + s;
            }
        }
        return event;
    } catch (const JsonParseError&) {
        return std::nullopt;
    }
}

ChatInfo decodeChat(const JsonValue& object) {
    if (!object.isObject()) throw JsonParseError("a chat is not a JSON object");
    ChatInfo chat;
    chat.chatId = textOf(member(&object, nullptr, "chat_id")).value_or("");
    if (chat.chatId.empty()) throw JsonParseError("a chat object has no chat_id field");
    chat.type = textOf(member(&object, nullptr, "type")).value_or("");
    chat.status = textOf(member(&object, nullptr, "status")).value_or("");
    chat.title = textOf(member(&object, nullptr, "title")).value_or("");
    chat.ownerId = textOf(member(&object, nullptr, "owner_id"));
    if (const JsonValue* count = member(&object, nullptr, "participants_count")) {
        if (auto n = exactInt(*count)) chat.participantsCount = *n;
    } else if (const JsonValue* participants = member(&object, nullptr, "participants");
               participants && participants->isObject()) {
        chat.participantsCount = static_cast<long long>(participants->members().size());
    }
    chat.rawJson = std::string(object.raw());
    return chat;
}

}  // namespace okarchive
