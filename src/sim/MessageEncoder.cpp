#include "sim/MessageEncoder.h"

#include "sim/IsoTime.h"
#include "sim/JsonEscape.h"

namespace okarchive::sim {
namespace {

void appendWireAttachment(std::string& out, const SimAttachment& attachment, EscapeStyle style) {
    out += "{\"type\":";
    appendWireString(out, attachment.type, style);
    if (attachment.payloadJson) {
        out += ",\"payload\":";
        out += *attachment.payloadJson;
    }
    out += '}';
}

void appendTruthAttachment(std::string& out, const SimAttachment& attachment, bool& first) {
    if (!first) out += ',';
    first = false;
    out += "{\"type\":";
    appendCanonicalString(out, attachment.type);
    out += ",\"payload\":";
    out += attachment.payloadJson ? *attachment.payloadJson : std::string("null");
    out += '}';
}

void appendCanonicalOrNull(std::string& out, const std::optional<std::string>& value) {
    if (value)
        appendCanonicalString(out, *value);
    else
        out += "null";
}

/// The undecodable shapes of /_sim/append?undecodable=: a seq beyond 64 bits, a float timestamp, an empty mid, null.
void appendUndecodable(std::string& out, const SimMessage& m) {
    const auto mid = "\"mid\":\"" + (m.undecodable == "empty-mid" ? std::string() : m.mid) + "\"";
    const auto seq = m.undecodable == "seq" ? std::string("99999999999999999999999") : std::to_string(m.seq);
    const auto timestamp = std::to_string(m.timestamp) + (m.undecodable == "float" ? ".5" : "");
    if (m.undecodable == "null")
        out += "null";
    else
        out +=
            "{\"message\":{" + mid + ",\"seq\":" + seq + ",\"text\":\"undecodable\"},\"timestamp\":" + timestamp + "}";
}

}  // namespace

void appendWireMessage(std::string& out, const SimMessage& m) {
    if (!m.undecodable.empty()) return appendUndecodable(out, m);
    const EscapeStyle style = m.style;
    out += "{\"sender\":{\"name\":";
    appendWireString(out, m.senderName, style);
    out += ",\"user_id\":";
    appendWireString(out, m.senderId, style);
    out += "},\"recipient\":{\"chat_id\":";
    appendWireString(out, m.chatId, style);
    out += "},\"message\":{";
    if (m.text) {
        out += "\"text\":";
        appendWireString(out, *m.text, style);
        out += ',';
    }
    out += "\"seq\":";
    out += std::to_string(m.seq);
    if (m.attachment) {
        out += ",\"attachment\":";
        appendWireAttachment(out, *m.attachment, style);
    }
    if (m.attachments) {
        out += ",\"attachments\":[";
        for (std::size_t i = 0; i < m.attachments->size(); ++i) {
            if (i > 0) out += ',';
            appendWireAttachment(out, (*m.attachments)[i], style);
        }
        out += ']';
    }
    out += ",\"mid\":";
    appendWireString(out, m.mid, style);
    if (m.replyTo) {
        out += ",\"reply_to\":";
        appendWireString(out, *m.replyTo, style);
    }
    out += m.extraMessageMembers;
    out += "},\"timestamp\":";
    out += std::to_string(m.timestamp);
    out += m.extraTopMembers;
    out += '}';
}

void appendTruthLine(std::string& out, const SimMessage& m) {
    if (!m.undecodable.empty()) return;  // no client can archive it: not part of what an archive should hold
    out += "{\"chat_id\":";
    appendCanonicalString(out, m.chatId);
    out += ",\"mid\":";
    appendCanonicalString(out, m.mid);
    out += ",\"seq\":";
    out += std::to_string(m.seq);
    out += ",\"timestamp\":";
    out += std::to_string(m.timestamp);
    out += ",\"time\":\"";
    out += isoTimeUtc(m.timestamp);
    out += "\",\"sender\":{\"user_id\":";
    appendCanonicalString(out, m.senderId);
    out += ",\"name\":";
    appendCanonicalString(out, m.senderName);
    out += "},\"kind\":";
    out += m.service ? "\"service\"" : "\"message\"";
    out += ",\"text\":";
    appendCanonicalOrNull(out, m.text);
    if (m.service) {
        out += ",\"service\":{\"type\":";
        appendCanonicalString(out, m.serviceType);
        out += ",\"user_id\":";
        appendCanonicalOrNull(out, m.serviceUserId);
        out += '}';
    }
    out += ",\"attachments\":[";
    bool first = true;
    if (m.attachment) appendTruthAttachment(out, *m.attachment, first);
    if (m.attachments)
        for (const auto& attachment : *m.attachments) appendTruthAttachment(out, attachment, first);
    out += "],\"reply_to\":";
    appendCanonicalOrNull(out, m.replyTo);
    // What a first archive of the message observed of its history: nothing yet (its changes are /_sim/changes').
    out += ",\"edited_at\":null,\"revisions\":[],\"deleted_observed_at\":null}\n";
}

}  // namespace okarchive::sim
