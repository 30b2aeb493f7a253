#include "exporters/MessageRecord.h"

#include "domain/JsonText.h"
#include "domain/TimeFormat.h"

namespace okarchive {
namespace {

void appendOptionalString(std::string& out, const std::optional<std::string>& value) {
    if (value)
        appendJsonString(out, *value);
    else
        out += "null";
}

}  // namespace

void appendMessageRecord(std::string& out, const Message& m) {
    out += "{\"chat_id\":";
    appendJsonString(out, m.chatId);
    out += ",\"mid\":";
    appendJsonString(out, m.mid);
    out += ",\"seq\":";
    out += std::to_string(m.seq);
    out += ",\"timestamp\":";
    out += std::to_string(m.timestamp);
    out += ",\"time\":\"";
    out += formatIsoUtc(m.timestamp);
    out += "\",\"sender\":{\"user_id\":";
    appendJsonString(out, m.senderId);
    out += ",\"name\":";
    appendJsonString(out, m.senderName);
    out += "},\"kind\":";
    out += m.service ? "\"service\"" : "\"message\"";
    out += ",\"text\":";
    appendOptionalString(out, m.text);
    if (m.service) {
        out += ",\"service\":{\"type\":";
        appendJsonString(out, m.service->type);
        out += ",\"user_id\":";
        appendOptionalString(out, m.service->userId);
        out += '}';
    }
    out += ",\"attachments\":[";
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
        if (i) out += ',';
        out += "{\"type\":";
        appendJsonString(out, m.attachments[i].type);
        out += ",\"payload\":";
        out += m.attachments[i].payloadJson.empty() ? "null" : m.attachments[i].payloadJson;
        out += '}';
    }
    out += "],\"reply_to\":";
    appendOptionalString(out, m.replyTo);
    out += '}';
}

}  // namespace okarchive
