#include "report/JsonReport.h"

#include <fmt/format.h>

#include "domain/JsonText.h"

namespace okarchive {
namespace {

std::string optionalMs(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "null"; }

std::string number(double v) { return fmt::format("{}", v); }

std::string countsObject(const std::map<std::string, std::int64_t>& counts) {
    std::string out = "{";
    bool first = true;
    for (const auto& [key, count] : counts) {
        if (!first) out += ',';
        first = false;
        appendJsonString(out, key);
        out += ':' + std::to_string(count);
    }
    return out + "}";
}

}  // namespace

std::string jsonReport(const ChatStatistics& s) {
    std::string out = "{\"format\":\"okarchive-report\",\"version\":1,\n\"chat_id\":";
    appendJsonString(out, s.chatId);
    out += fmt::format(",\"since\":{},\"until\":{},\"timezone\":", optionalMs(s.since), optionalMs(s.until));
    appendJsonString(out, s.timezone);
    out += fmt::format(",\n\"totals\":{{\"messages\":{},\"service_events\":{},\"attachments\":{},\"senders\":{}}}",
                       s.messages, s.serviceEvents, s.attachments, s.senders);
    out += ",\n\"by_day\":[";
    for (std::size_t i = 0; i < s.byDay.size(); ++i)
        out += fmt::format("{}{{\"date\":\"{}\",\"messages\":{}}}", i ? "," : "", s.byDay[i].date, s.byDay[i].messages);
    out += "],\n\"by_hour_of_week\":[";
    for (std::size_t d = 0; d < 7; ++d) out += fmt::format("{}[{}]", d ? "," : "", fmt::join(s.byHourOfWeek[d], ","));
    out += "],\n\"by_sender\":[";
    for (std::size_t i = 0; i < s.bySender.size(); ++i) {
        const auto& sender = s.bySender[i];
        out += i ? ",\n{\"user_id\":" : "\n{\"user_id\":";
        appendJsonString(out, sender.userId);
        out += ",\"name\":";
        appendJsonString(out, sender.name);
        out += fmt::format(",\"messages\":{},\"first\":{},\"last\":{}}}", sender.messages, sender.first, sender.last);
    }
    out += "],\n\"events\":" + countsObject(s.events);
    out += ",\n\"members\":[";
    for (std::size_t i = 0; i < s.members.size(); ++i)
        out += fmt::format("{}{{\"date\":\"{}\",\"joined\":{},\"left\":{}}}", i ? "," : "", s.members[i].date,
                           s.members[i].joined, s.members[i].left);
    out += "],\n\"attachments_by_type\":" + countsObject(s.attachmentsByType);
    out += fmt::format(",\n\"conversations\":{{\"count\":{},\"median_length\":{},\"median_gap_seconds\":{}}}",
                       s.conversations, number(s.medianConversationLength), number(s.medianGapSeconds));
    out += fmt::format(",\n\"replies\":{{\"count\":{},\"median_response_seconds\":{}}}}}\n", s.replies,
                       number(s.medianResponseSeconds));
    return out;
}

}  // namespace okarchive
