#include "digest/SummaryComposer.h"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "domain/Locale.h"

namespace okarchive {
namespace {

struct Words {
    const char* title;
    const char* messages;
    const char* vsPrevious;
    const char* members;
    const char* topSenders;
    const char* joinedLeft;
    const char* attachments;
    const char* noAttachments;
    const char* busiestHour;
    const char* quiet;
};

const Words kEnglish{
    "Chat digest",          "Messages",    "vs the previous period", "Active members", "Top senders",
    "Joined: {}, left: {}", "Attachments", "Attachments: none",      "Busiest hour",   "No messages in this period."};
const Words kRussian{"Сводка чата",        "Сообщений",
                     "к прошлому периоду", "Активных участников",
                     "Самые активные",     "Вошли: {}, вышли: {}",
                     "Вложения",           "Вложений нет",
                     "Самый активный час", "За этот период сообщений не было."};

std::size_t characters(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string change(std::int64_t now, std::int64_t before) {
    const auto diff = now - before;
    if (before == 0) return fmt::format("{:+}", diff);
    return fmt::format("{:+}, {:+.0f}%", diff, 100.0 * static_cast<double>(diff) / static_cast<double>(before));
}

}  // namespace

std::string truncateCharacters(const std::string& text, std::size_t limit) {
    if (characters(text) <= limit) return text;
    std::size_t count = 0, i = 0;
    for (; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            if (count == limit - 1) break;
            ++count;
        }
    }
    return text.substr(0, i) + "…";
}

namespace {

/// "Top senders: A (12), B (7)" for the five most active senders; empty without senders.
std::string topSendersLine(const ChatStatistics& current, const Words& w) {
    if (current.bySender.empty()) return {};
    std::vector<std::string> top;
    for (std::size_t i = 0; i < current.bySender.size() && i < 5; ++i) {
        const auto& s = current.bySender[i];
        top.push_back(fmt::format("{} ({})", truncateCharacters(s.name.empty() ? s.userId : s.name, 40), s.messages));
    }
    return fmt::format("{}: {}\n", w.topSenders, fmt::join(top, ", "));
}

/// The attachment types by their names in the digest's language, most frequent first, or the words for none.
std::string attachmentsLine(const ChatStatistics& current, const Words& w, Locale locale) {
    if (current.attachmentsByType.empty()) return std::string(w.noAttachments) + "\n";
    std::vector<std::string> parts;
    for (const auto& [type, count] : byCountDescending(current.attachmentsByType))
        parts.push_back(fmt::format("{} {}", truncateCharacters(attachmentTypeName(locale, type), 32), count));
    return fmt::format("{}: {}\n", w.attachments, fmt::join(parts, ", "));
}

/// The hour of the day with the most messages over the period; empty when there were none.
std::string busiestHourLine(const ChatStatistics& current, const Words& w) {
    std::array<std::int64_t, 24> byHour{};
    for (const auto& day : current.byHourOfWeek)
        for (std::size_t h = 0; h < 24; ++h) byHour[h] += day[h];
    const auto busiest = std::max_element(byHour.begin(), byHour.end());
    if (*busiest <= 0) return {};
    const auto hour = busiest - byHour.begin();
    return fmt::format("{}: {:02}:00–{:02}:00 ({})\n", w.busiestHour, hour, (hour + 1) % 24, *busiest);
}

}  // namespace

std::string SummaryComposer::compose(const SummaryPeriod& period, const std::string& timezone,
                                     const ChatStatistics& current, const ChatStatistics& previous) const {
    const Locale locale = _language == "ru" ? Locale::Russian : Locale::English;
    const Words& w = locale == Locale::Russian ? kRussian : kEnglish;
    std::string out = fmt::format("{}: {} ({})\n", w.title, period.label, timezone);
    out += fmt::format("{}: {} ({} {}: {})\n", w.messages, current.messages,
                       change(current.messages, previous.messages), w.vsPrevious, previous.messages);
    if (current.messages == 0 && current.serviceEvents == 0) {
        out += w.quiet;
        return truncateCharacters(out, kMaxCharacters);
    }
    out += fmt::format("{}: {}\n", w.members, current.senders);
    out += topSendersLine(current, w);
    std::int64_t joined = 0, left = 0;
    for (const auto& [type, count] : current.events) {
        if (isJoinEvent(type)) joined += count;
        if (isLeaveEvent(type)) left += count;
    }
    out += fmt::format(fmt::runtime(w.joinedLeft), joined, left) + "\n";
    out += attachmentsLine(current, w, locale) + busiestHourLine(current, w);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return truncateCharacters(out, kMaxCharacters);
}

}  // namespace okarchive
