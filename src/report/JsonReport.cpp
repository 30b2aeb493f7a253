#include "report/JsonReport.h"

#include "domain/JsonWriter.h"
#include "report/MediaReport.h"

namespace okarchive {
namespace {

/// {"RAW_TYPE":count,...}, most frequent first (ties by name): the raw kinds stay the keys.
void writeCounts(JsonWriter& json, const std::map<std::string, std::int64_t>& counts) {
    json.beginObject();
    for (const auto& [key, count] : byCountDescending(counts)) json.key(key).value(count);
    json.endObject();
}

void writeRange(JsonWriter& json, const ChatStatistics& s) {
    auto optionalMs = [&](const char* name, const std::optional<std::int64_t>& ms) {
        json.key(name);
        if (ms)
            json.value(*ms);
        else
            json.null();
    };
    json.lineBreak().key("chat_id").value(s.chatId);
    optionalMs("since", s.since);
    optionalMs("until", s.until);
    json.key("timezone").value(s.timezone);
}

void writeTotals(JsonWriter& json, const ChatStatistics& s) {
    json.lineBreak().key("totals").beginObject().key("messages").value(s.messages);
    json.key("service_events").value(s.serviceEvents).key("attachments").value(s.attachments);
    json.key("senders").value(s.senders).endObject();
}

void writeByDay(JsonWriter& json, const ChatStatistics& s) {
    json.lineBreak().key("by_day").beginArray();
    for (const auto& day : s.byDay)
        json.beginObject().key("date").value(day.date).key("messages").value(day.messages).endObject();
    json.endArray();
}

void writeByHourOfWeek(JsonWriter& json, const ChatStatistics& s) {
    json.lineBreak().key("by_hour_of_week").beginArray();
    for (const auto& day : s.byHourOfWeek) {
        json.beginArray();
        for (const std::int64_t count : day) json.value(count);
        json.endArray();
    }
    json.endArray();
}

void writeBySender(JsonWriter& json, const ChatStatistics& s) {
    json.lineBreak().key("by_sender").beginArray();
    for (const auto& sender : s.bySender) {
        json.lineBreak().beginObject().key("user_id").value(sender.userId).key("name").value(sender.name);
        json.key("messages").value(sender.messages).key("first").value(sender.first);
        json.key("last").value(sender.last).endObject();
    }
    json.endArray();
}

void writeMembers(JsonWriter& json, const ChatStatistics& s) {
    json.lineBreak().key("members").beginArray();
    for (const auto& day : s.members) {
        json.beginObject().key("date").value(day.date).key("joined").value(day.joined);
        json.key("left").value(day.left).endObject();
    }
    json.endArray();
}

/// "changes": what the archive observed of the messages in range (issue 13), per day of observation and per sender.
void writeChanges(JsonWriter& json, const ChatStatistics& s) {
    json.lineBreak().key("changes").beginObject().key("edits").value(s.edits).key("deletions").value(s.deletions);
    for (const auto& [name, rows, keyName] : {std::tuple{"by_day", &s.changesByDay, "date"},
                                              std::tuple{"by_sender", &s.changesBySender, "user_id"}}) {
        json.key(name).beginArray();
        for (const auto& row : *rows)
            json.beginObject().key(keyName).value(row.key).key("edits").value(row.edits).key("deletions").value(
                row.deletions).endObject();
        json.endArray();
    }
    json.endObject();
}

void writeConversationsAndReplies(JsonWriter& json, const ChatStatistics& s) {
    json.lineBreak().key("conversations").beginObject().key("count").value(s.conversations);
    json.key("median_length").value(s.medianConversationLength);
    json.key("median_gap_seconds").value(s.medianGapSeconds).endObject();
    json.lineBreak().key("replies").beginObject().key("count").value(s.replies);
    json.key("median_response_seconds").value(s.medianResponseSeconds).endObject();
}

}  // namespace

std::string jsonReport(const ChatStatistics& s, const std::vector<MediaCount>& media) {
    std::string out;
    JsonWriter json(out);
    json.beginObject().key("format").value("okarchive-report").key("version").value(1);
    writeRange(json, s);
    writeTotals(json, s);
    writeByDay(json, s);
    writeByHourOfWeek(json, s);
    writeBySender(json, s);
    json.lineBreak().key("events");
    writeCounts(json, s.events);
    writeMembers(json, s);
    json.lineBreak().key("attachments_by_type");
    writeCounts(json, s.attachmentsByType);
    writeConversationsAndReplies(json, s);
    writeMediaReport(json.lineBreak().key("media"), media);
    writeChanges(json, s);
    json.endObject();
    out += '\n';
    return out;
}

}  // namespace okarchive
