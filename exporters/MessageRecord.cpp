#include "exporters/MessageRecord.h"

#include "domain/TimeFormat.h"

namespace okarchive {

void writeMessageRecord(JsonWriter& json, const Message& m) {
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
        json.beginObject().key("type").value(a.type).key("payload");
        if (a.payloadJson.empty())
            json.null();
        else
            json.raw(a.payloadJson);  // as the API sent it (made valid unless the writer is Verbatim)
        json.endObject();
    }
    json.endArray().key("reply_to").value(m.replyTo).endObject();
}

void appendMessageRecord(std::string& out, const Message& message, JsonFidelity fidelity) {
    JsonWriter json(out, fidelity);
    writeMessageRecord(json, message);
}

FormatOption verbatimFormatOption() {
    return {"verbatim", "", "keep NUL and lone surrogates as \\u escapes, as archived (jq 1.6 and others refuse them)"};
}

JsonFidelity recordFidelity(const FormatOptionValues& options) {
    return options.count(verbatimFormatOption().name) ? JsonFidelity::Verbatim : JsonFidelity::Valid;
}

}  // namespace okarchive
