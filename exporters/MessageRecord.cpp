#include "exporters/MessageRecord.h"

#include "domain/TimeFormat.h"
#include "exporters/ExportMedia.h"
#include "exporters/ExportPart.h"

namespace okarchive {

void writeMediaObject(JsonWriter& json, const MediaView& view) {
    const AttachmentMedia& media = *view.media;
    const auto orNull = [&](const char* key, const std::string& text) {
        if (text.empty())
            json.key(key).null();
        else
            json.key(key).value(text);
    };
    json.beginObject().key("state").value(mediaStateName(media.state));
    orNull("sha256", media.sha256);
    json.key("bytes");
    if (media.bytes)
        json.value(*media.bytes);
    else
        json.null();
    orNull("mime", media.mime);
    orNull("path", view.path);
    orNull("reason", view.missing.empty() ? media.reason : view.missing);
    json.endObject();
}

namespace {

/// {"type","payload"}: the payload as the API sent it (made valid unless the writer is Verbatim); the object is
/// left open for what the caller adds.
void beginAttachment(JsonWriter& json, const Attachment& a) {
    json.beginObject().key("type").value(a.type).key("payload");
    if (a.payloadJson.empty())
        json.null();
    else
        json.raw(a.payloadJson);
}

void optionalMs(JsonWriter& json, const char* key, const std::optional<std::int64_t>& ms) {
    json.key(key);
    if (ms)
        json.value(*ms);
    else
        json.null();
}

/// "edited_at", "revisions" (oldest first) and "deleted_observed_at": what the archive observed (issue 13).
void writeHistory(JsonWriter& json, const Message& m) {
    optionalMs(json, "edited_at", m.editedAtMs);
    json.key("revisions").beginArray();
    for (const auto& version : m.revisions) {
        json.beginObject().key("observed_replaced_at").value(version.replacedAtMs).key("text").value(version.text);
        json.key("attachments").beginArray();
        for (const auto& a : version.attachments) {
            beginAttachment(json, a);
            json.endObject();
        }
        json.endArray().endObject();
    }
    json.endArray();
    optionalMs(json, "deleted_observed_at", m.deletedObservedAtMs);
}

}  // namespace

void writeMessageRecord(JsonWriter& json, const Message& m, const ExportPart* part) {
    json.beginObject();
    json.key("chat_id").value(m.chatId).key("mid").value(m.mid);
    json.key("seq").value(m.seq).key("timestamp").value(m.timestamp).key("time").value(formatIsoUtc(m.timestamp));
    json.key("sender").beginObject().key("user_id").value(m.senderId).key("name").value(m.senderName).endObject();
    json.key("kind").value(m.service ? "service" : "message").key("text").value(m.text);
    if (m.service) {
        json.key("service").beginObject().key("type").value(m.service->type);
        json.key("user_id").value(m.service->userId).endObject();
    }
    json.key("attachments").beginArray();
    for (const auto& a : m.attachments) {
        beginAttachment(json, a);
        if (a.media) {
            const std::size_t position = static_cast<std::size_t>(&a - m.attachments.data());
            writeMediaObject(json.key("media"), part ? exportMediaView(*part, m, position)
                                                     : storeMediaView(MediaExportMode::Link, m, position));
        }
        json.endObject();
    }
    json.endArray().key("reply_to").value(m.replyTo);
    writeHistory(json, m);
    json.endObject();
}

void appendMessageRecord(std::string& out, const Message& message, JsonFidelity fidelity, const ExportPart* part) {
    JsonWriter json(out, fidelity);
    writeMessageRecord(json, message, part);
}

FormatOption verbatimFormatOption() {
    return {"verbatim", "", "keep NUL and lone surrogates as \\u escapes, as archived (jq 1.6 and others refuse them)"};
}

JsonFidelity recordFidelity(const FormatOptionValues& options) {
    return options.count(verbatimFormatOption().name) ? JsonFidelity::Verbatim : JsonFidelity::Valid;
}

}  // namespace okarchive
