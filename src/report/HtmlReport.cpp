#include "report/HtmlReport.h"
#include "report/MediaReport.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "domain/TimeFormat.h"
#include "exporters/HtmlText.h"
#include "domain/CivilDate.h"
#include "domain/Locale.h"
#include "report/NumberFormat.h"
#include "report/SvgChart.h"

namespace okarchive {
namespace {

constexpr std::size_t kTopSenders = 15;
constexpr std::size_t kSenderTableRows = 100;

const char* const kStyle = R"CSS(
:root{color-scheme:light dark;--bg:#eef1f4;--fg:#1b1f24;--muted:#5d6670;--card:#fff;--line:#d5dbe1;--grid:#e3e7ec;
--s0:#f5a54a;--s1:#b34700;--s2:#1f9d55;--s3:#d64545;--heat:#ee8208;--heat0:#edf0f3}
@media (prefers-color-scheme:dark){:root{--bg:#121416;--fg:#e6e8eb;--muted:#9aa3ad;--card:#1e2226;--line:#2e343a;
--grid:#2a3035;--s0:#a8651c;--s1:#ffb45e;--s2:#4ade80;--s3:#ff7b7b;--heat:#ff9d2e;--heat0:#262b30}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
header,main,footer{max-width:960px;margin:0 auto;padding:16px}
header{padding-bottom:4px}
h1{font-size:1.5rem;margin:0 0 4px;overflow-wrap:anywhere}
h2{font-size:1.05rem;margin:0 0 8px}
.sub{margin:0;color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin:0 0 14px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:10px 14px}
.tile b{display:block;font-size:1.45rem;font-variant-numeric:tabular-nums;line-height:1.2}
.tile span{color:var(--muted);font-size:.85rem}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;margin:0 0 14px}
.note{color:var(--muted);font-size:.85rem;margin:6px 0 0}
.fig{max-width:100%}
svg.chart{display:block;width:100%;max-width:720px;height:auto;margin:0 auto;font-size:12px;fill:var(--fg)}
svg .tick,svg .legend text,svg .value{fill:var(--muted)}
svg .axis-title{fill:var(--muted);font-size:12px;font-style:italic}
svg .label{fill:var(--fg)}
svg .grid line,svg .xticks line{stroke:var(--grid);stroke-width:1}
svg .axis{stroke:var(--muted);stroke-width:1}
svg .nodata{fill:var(--muted);font-size:14px}
.col.s0,.sw.s0{fill:var(--s0)}.col.s1,.sw.s1{fill:var(--s1)}.col.s2,.sw.s2{fill:var(--s2)}.col.s3,.sw.s3{fill:var(--s3)}
.line{fill:none;stroke-width:2.2;stroke-linejoin:round;stroke-linecap:round}
.line.s0{stroke:var(--s0)}.line.s1{stroke:var(--s1)}.line.s2{stroke:var(--s2)}.line.s3{stroke:var(--s3)}
.heat{fill:var(--heat)}.heat0{fill:var(--heat0)}
.two{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.two section{margin:0;min-width:0}
table{border-collapse:collapse;width:100%;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
td.n,th.n{text-align:right;white-space:nowrap}
.scroll{max-height:420px;overflow:auto}
footer{color:var(--muted);font-size:.8rem;padding-top:0}
@media (max-width:640px){header,main,footer{padding:10px}.two{grid-template-columns:1fr}section{padding:10px}
.tile b{font-size:1.2rem}}
@media print{body{background:#fff}section,.tile{break-inside:avoid}}
)CSS";

/// What the report says, in one language. Titles are in page order (htmlReportChartTitles).
struct Words {
    std::vector<std::string> titles;
    const char *activityReport, *activityHeading, *noMessages, *days, *timesIn;
    const char *tileMessages, *tileSenders, *tileEvents, *tileAttachments, *tileConversations, *tileReplies;
    const char *date, *messages, *perDay, *average7, *perDayNote;
    const char *hourOfDay, *weekday;
    std::vector<std::string> weekdays;
    const char *allSenders, *name, *userId, *first, *last, *perSender, *topOf;
    const char *people, *joined, *left, *membersNote;
    const char* attachments;
    const char *conversationsTitle, *typicalLength, *typicalGap, *untilReply, *conversationsNote;
    const char *eventsTitle, *type, *events, *noEvents;
    const char *generatedBy, *selfContained, *noData;
    const char *changesTitle, *edits, *deletions, *sender, *changesNote;
};

const Words kEnglish{
    {"Messages per day", "Activity by weekday and hour", "Top senders", "Joins and leaves", "Attachments by type"},
    "activity report",
    "Activity report",
    "no messages",
    "{} days",
    "times in",
    "messages",
    "senders",
    "service events",
    "attachments",
    "conversations",
    "replies",
    "date ({})",
    "messages",
    "messages per day",
    "7-day average",
    "{} messages a day on average; the busiest day was {} with {}.",
    "hour of day ({})",
    "weekday",
    {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
    "All senders",
    "name",
    "user id",
    "first",
    "last",
    "messages per sender",
    "The {} most active of {} senders.",
    "people (left below the axis)",
    "joined",
    "left",
    "{} joined and {} left.",
    "attachments",
    "Conversations and replies",
    "messages in a typical conversation (median)",
    "between messages of a conversation (median)",
    "until a reply (median)",
    "A conversation ends after more than 30 minutes of silence. Replies count when the message replied to is "
    "archived.",
    "Service events by type",
    "type",
    "events",
    "none in this range",
    "Generated by okarchive",
    "A self-contained page: no scripts, no external requests.",
    "no data in this range",
    "Edits and deletions",
    "edits",
    "deletions",
    "sender",
    "As the archive observed them (re-checks of recent history), by the day they were seen."};

const Words kRussian{
    {"Сообщения по дням", "Активность по дням недели и часам", "Самые активные", "Вошли и вышли", "Вложения по типам"},
    "отчёт об активности",
    "Отчёт об активности",
    "нет сообщений",
    "дней: {}",
    "часовой пояс",
    "сообщений",
    "отправителей",
    "служебных событий",
    "вложений",
    "бесед",
    "ответов",
    "дата ({})",
    "сообщений",
    "сообщений за день",
    "среднее за 7 дней",
    "В среднем {} сообщений в день; самый активный день — {}: {}.",
    "час ({})",
    "день недели",
    {"Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"},
    "Все отправители",
    "имя",
    "id пользователя",
    "первое",
    "последнее",
    "сообщений от отправителя",
    "{} самых активных из {} отправителей.",
    "человек (вышедшие — ниже оси)",
    "вошли",
    "вышли",
    "Вошли: {}, вышли: {}.",
    "вложений",
    "Беседы и ответы",
    "сообщений в обычной беседе (медиана)",
    "между сообщениями беседы (медиана)",
    "до ответа (медиана)",
    "Беседа заканчивается после более чем 30 минут тишины. Ответ учитывается, если сообщение, на которое "
    "отвечают, есть в архиве.",
    "Служебные события по типам",
    "тип",
    "событий",
    "нет в этом периоде",
    "Создано okarchive",
    "Самодостаточная страница: без скриптов и внешних запросов.",
    "нет данных за этот период",
    "Изменения и удаления",
    "изменений",
    "удалений",
    "отправитель",
    "Как их заметил архив (перепроверка недавней истории), по дню, когда их заметили."};

const Words& wordsFor(Locale locale) { return locale == Locale::Russian ? kRussian : kEnglish; }

/// What every part of the page needs: the statistics, the language and its words.
struct Page {
    const ChatStatistics& s;
    Locale locale;
    const Words& w;

    std::string count(std::int64_t value) const { return groupedCount(locale, value); }
    std::string phrase(const char* pattern, const std::string& a) const {
        return fmt::format(fmt::runtime(pattern), a);
    }
    svg::Frame frame(std::size_t title, std::string xLabel, std::string yLabel) const {
        return {w.titles[title], std::move(xLabel), std::move(yLabel), locale, w.noData, w.messages};
    }
};

void escape(std::string& out, std::string_view text) { appendHtmlEscaped(out, text); }

void tile(std::string& out, const std::string& value, const std::string& label) {
    out += "<div class=\"tile\"><b>" + value + "</b><span>" + htmlEscaped(label) + "</span></div>";
}

std::string dateOf(const ChatStatistics& s, std::int64_t ms) {
    try {
        return TimeZone::load(s.timezone).localDate(ms);
    } catch (const std::exception&) {
        return formatIsoUtc(ms).substr(0, 10);
    }
}

/// A local date YYYY-MM-DD for people ("1 March 2025" / "1 марта 2025 г."); anything else as it is.
std::string humanDate(const Page& p, const std::string& iso) {
    unsigned month = 0, day = 0;
    long long year = 0;
    char tail = 0;
    if (std::sscanf(iso.c_str(), "%lld-%2u-%2u%c", &year, &month, &day, &tail) != 3 || !isValidDate({year, month, day}))
        return iso;
    return dayMonthYear(p.locale, year, month, day);
}

/// `<time datetime="YYYY-MM-DD">` with the date for people inside (the table keeps a machine-readable date).
std::string timeElement(const Page& p, const std::string& iso) {
    return "<time datetime=\"" + htmlEscaped(iso) + "\">" + htmlEscaped(humanDate(p, iso)) + "</time>";
}

std::string rangeText(const Page& p) {
    const auto& s = p.s;
    if (s.byDay.empty()) return p.w.noMessages;
    if (s.byDay.size() == 1) return humanDate(p, s.byDay.front().date);
    return fmt::format("{} \u2013 {} ({})", humanDate(p, s.byDay.front().date), humanDate(p, s.byDay.back().date),
                       p.phrase(p.w.days, p.count(static_cast<std::int64_t>(s.byDay.size()))));
}

/// A chart in a box as wide as the page: the SVG scales with its viewBox, so nothing overflows a phone's width.
std::string figure(const std::string& svg) { return "<div class=\"fig\">" + svg + "</div>"; }

void section(std::string& out, const std::string& id, const std::string& title, const std::string& body,
             const std::string& note = {}) {
    out += "<section id=\"" + id + "\"><h2>" + htmlEscaped(title) + "</h2>\n" + body;
    if (!note.empty()) out += "\n<p class=\"note\">" + htmlEscaped(note) + "</p>";
    out += "</section>\n";
}

/// The document head (CSP, inline style) and the page header: title, chat id, range, time zone.
void writeHead(std::string& out, const Page& p, const HtmlReportInfo& info) {
    const std::string& title = info.chatTitle.empty() ? p.s.chatId : info.chatTitle;
    appendHtmlHead(out, localeTag(p.locale), "'none'");
    escape(out, title);
    out += " \u00B7 " + htmlEscaped(p.w.activityReport) + "</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n<header><h1><bdi>";
    escape(out, title);
    out += "</bdi></h1>\n<p class=\"sub\">" + htmlEscaped(p.w.activityHeading) + " \u00B7 ";
    escape(out, p.s.chatId);
    out += " \u00B7 " + htmlEscaped(rangeText(p)) + " \u00B7 " + htmlEscaped(p.w.timesIn) + " " +
           htmlEscaped(p.s.timezone) + "</p></header>\n";
}

void writeTotals(std::string& out, const Page& p) {
    out += "<div class=\"tiles\">";
    tile(out, p.count(p.s.messages), p.w.tileMessages);
    tile(out, p.count(p.s.senders), p.w.tileSenders);
    tile(out, p.count(p.s.serviceEvents), p.w.tileEvents);
    tile(out, p.count(p.s.attachments), p.w.tileAttachments);
    tile(out, p.count(p.s.conversations), p.w.tileConversations);
    tile(out, p.count(p.s.replies), p.w.tileReplies);
    out += "</div>\n";
}

/// The local dates of the range, one per day (the x axis of the daily charts).
std::vector<std::string> rangeDates(const ChatStatistics& s) {
    std::vector<std::string> dates;
    dates.reserve(s.byDay.size());
    for (const auto& d : s.byDay) dates.push_back(d.date);
    return dates;
}

/// Messages per day with the 7-day average, and the busiest day.
void writePerDay(std::string& out, const Page& p) {
    const auto& s = p.s;
    std::vector<double> daily;
    std::int64_t busiest = 0;
    std::string busiestDate;
    for (const auto& d : s.byDay) {
        daily.push_back(static_cast<double>(d.messages));
        if (d.messages > busiest) busiest = d.messages, busiestDate = d.date;
    }
    const auto chart = svg::lineChart(p.frame(0, p.phrase(p.w.date, s.timezone), p.w.messages), rangeDates(s),
                                      {{p.w.perDay, daily, "s0"}}, {{p.w.average7, movingAverage7(s.byDay), "s1"}});
    const auto average =
        static_cast<double>(s.messages) / static_cast<double>(std::max<std::size_t>(s.byDay.size(), 1));
    section(out, "per-day", p.w.titles[0], figure(chart),
            s.byDay.empty() ? std::string()
                            : fmt::format(fmt::runtime(p.w.perDayNote), localDecimal(p.locale, average),
                                          humanDate(p, busiestDate), p.count(busiest)));
}

void writeHourOfWeek(std::string& out, const Page& p) {
    std::vector<std::string> hours;
    for (int h = 0; h < 24; ++h) hours.push_back(fmt::format("{:02}:00", h));
    std::vector<std::vector<std::int64_t>> cells;
    for (const auto& row : p.s.byHourOfWeek) cells.emplace_back(row.begin(), row.end());
    section(out, "hour-of-week", p.w.titles[1],
            figure(svg::heatmap(p.frame(1, p.phrase(p.w.hourOfDay, p.s.timezone), p.w.weekday), p.w.weekdays, hours,
                                cells)));
}

/// The table of the first 100 senders (folded), below the top-senders chart.
std::string senderTable(const Page& p) {
    const auto& s = p.s;
    if (s.bySender.empty()) return {};
    std::string table = "<details><summary>" + htmlEscaped(p.w.allSenders) +
                        "</summary><div class=\"scroll\"><table><thead><tr><th>" + htmlEscaped(p.w.name) + "</th><th>" +
                        htmlEscaped(p.w.userId) + "</th><th class=\"n\">" + htmlEscaped(p.w.messages) + "</th><th>" +
                        htmlEscaped(p.w.first) + "</th><th>" + htmlEscaped(p.w.last) + "</th></tr></thead><tbody>";
    for (std::size_t i = 0; i < s.bySender.size() && i < kSenderTableRows; ++i) {
        const auto& sender = s.bySender[i];
        table += "<tr><td><bdi>" + htmlEscaped(sender.name) + "</bdi></td><td>" + htmlEscaped(sender.userId) +
                 "</td><td class=\"n\">" + p.count(sender.messages) + "</td><td>" +
                 timeElement(p, dateOf(s, sender.first)) + "</td><td>" + timeElement(p, dateOf(s, sender.last)) +
                 "</td></tr>";
    }
    return table + "</tbody></table></div></details>";
}

void writeSenders(std::string& out, const Page& p) {
    const auto& s = p.s;
    std::vector<svg::Bar> bars;
    for (std::size_t i = 0; i < s.bySender.size() && i < kTopSenders; ++i) {
        const auto& sender = s.bySender[i];
        bars.push_back({sender.name.empty() ? sender.userId : sender.name, static_cast<double>(sender.messages), {}});
    }
    section(out, "senders", p.w.titles[2],
            figure(svg::barChart(p.frame(2, p.w.messages, ""), bars, p.w.perSender)) + senderTable(p),
            s.bySender.size() > kTopSenders ? fmt::format(fmt::runtime(p.w.topOf), kTopSenders, p.count(s.senders))
                                            : std::string());
}

/// Joins and leaves per day, over the whole range (leaves below the axis).
void writeMembers(std::string& out, const Page& p) {
    const auto& s = p.s;
    const std::vector<std::string> dates = rangeDates(s);
    std::vector<double> joined(dates.size(), 0), left(dates.size(), 0);
    std::int64_t totalJoined = 0, totalLeft = 0;
    for (const auto& m : s.members) {
        totalJoined += m.joined;
        totalLeft += m.left;
        const auto it = std::lower_bound(dates.begin(), dates.end(), m.date);
        if (it == dates.end() || *it != m.date) continue;
        const auto i = static_cast<std::size_t>(it - dates.begin());
        joined[i] = static_cast<double>(m.joined);
        left[i] = -static_cast<double>(m.left);
    }
    section(out, "members", p.w.titles[3],
            figure(svg::lineChart(p.frame(3, p.phrase(p.w.date, s.timezone), p.w.people), dates,
                                  {{p.w.joined, joined, "s2"}, {p.w.left, left, "s3"}}, {})),
            fmt::format(fmt::runtime(p.w.membersNote), p.count(totalJoined), p.count(totalLeft)));
}

void writeAttachments(std::string& out, const Page& p) {
    std::vector<svg::Bar> bars;
    for (const auto& [type, count] : byCountDescending(p.s.attachmentsByType))
        bars.push_back({attachmentTypeName(p.locale, type), static_cast<double>(count), {}});
    section(out, "attachments", p.w.titles[4],
            figure(svg::barChart(p.frame(4, p.w.attachments, ""), bars, p.w.attachments, "s1")));
}

void writeConversations(std::string& out, const Page& p) {
    const auto& s = p.s;
    std::string talk = "<div class=\"tiles\">";
    tile(talk, p.count(s.conversations), p.w.tileConversations);
    tile(talk, localDecimal(p.locale, s.medianConversationLength), p.w.typicalLength);
    tile(talk, htmlEscaped(humanDuration(s.medianGapSeconds, p.locale)), p.w.typicalGap);
    tile(talk, p.count(s.replies), p.w.tileReplies);
    tile(talk, htmlEscaped(humanDuration(s.medianResponseSeconds, p.locale)), p.w.untilReply);
    talk += "</div>";
    section(out, "conversations", p.w.conversationsTitle, talk, p.w.conversationsNote);
}

/// Service events, most frequent first, by their human names (an unknown kind keeps its raw name).
void writeEvents(std::string& out, const Page& p) {
    std::string events = "<div class=\"scroll\"><table><thead><tr><th>" + htmlEscaped(p.w.type) +
                         "</th><th class=\"n\">" + htmlEscaped(p.w.events) + "</th></tr></thead><tbody>";
    for (const auto& [type, count] : byCountDescending(p.s.events))
        events += "<tr><td>" + htmlEscaped(serviceEventName(p.locale, type)) + "</td><td class=\"n\">" +
                  p.count(count) + "</td></tr>";
    if (p.s.events.empty()) events += "<tr><td colspan=\"2\">" + htmlEscaped(p.w.noEvents) + "</td></tr>";
    events += "</tbody></table></div>";
    section(out, "events", p.w.eventsTitle, events);
}

/// Observed edits and deletions per day and per sender (issue 13); nothing when the archive saw none.
void writeChanges(std::string& out, const Page& p) {
    const auto& s = p.s;
    if (s.edits == 0 && s.deletions == 0) return;
    const auto table = [&](const char* first, const std::vector<ChangeCount>& rows, bool senders) {
        std::string html = "<div class=\"scroll\"><table><thead><tr><th>" + htmlEscaped(first) +
                           "</th><th class=\"n\">" + htmlEscaped(p.w.edits) + "</th><th class=\"n\">" +
                           htmlEscaped(p.w.deletions) + "</th></tr></thead><tbody>";
        for (const auto& row : rows)
            html += "<tr><td>" + htmlEscaped(senders && row.key.empty() ? "-" : row.key) + "</td><td class=\"n\">" +
                    p.count(row.edits) + "</td><td class=\"n\">" + p.count(row.deletions) + "</td></tr>";
        return html + "</tbody></table></div>";
    };
    std::string body = "<div class=\"tiles\">";
    tile(body, p.count(s.edits), p.w.edits);
    tile(body, p.count(s.deletions), p.w.deletions);
    body += "</div>" + table(p.phrase(p.w.date, s.timezone).c_str(), s.changesByDay, false) +
            table(p.w.sender, s.changesBySender, true);
    section(out, "changes", p.w.changesTitle, body, p.w.changesNote);
}

void writeFooter(std::string& out, const Page& p, const HtmlReportInfo& info) {
    out += "<footer>" + htmlEscaped(p.w.generatedBy);
    if (info.generatedAtMs != 0) out += " \u00B7 " + formatIsoUtc(info.generatedAtMs).substr(0, 16) + "Z";
    out += ". " + htmlEscaped(p.w.selfContained) + "</footer>\n</body>\n</html>\n";
}

}  // namespace

const std::vector<std::string>& htmlReportChartTitles(Locale locale) { return wordsFor(locale).titles; }

std::vector<double> movingAverage7(const std::vector<DayCount>& daily) {
    std::vector<double> out;
    out.reserve(daily.size());
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < daily.size(); ++i) {
        sum += daily[i].messages;
        if (i >= 7) sum -= daily[i - 7].messages;
        out.push_back(static_cast<double>(sum) / static_cast<double>(std::min<std::size_t>(i + 1, 7)));
    }
    return out;
}

std::string htmlReport(const ChatStatistics& s, const HtmlReportInfo& info) {
    const Page p{s, info.locale, wordsFor(info.locale)};
    std::string out;
    writeHead(out, p, info);
    out += "<main>\n";
    writeTotals(out, p);
    writePerDay(out, p);
    writeHourOfWeek(out, p);
    writeSenders(out, p);
    writeMembers(out, p);
    writeAttachments(out, p);
    out += htmlMediaSection(info.media, info.locale);
    out += "<div class=\"two\">";
    writeConversations(out, p);
    writeEvents(out, p);
    out += "</div>\n";
    writeChanges(out, p);
    out += "</main>\n";
    writeFooter(out, p, info);
    return out;
}

}  // namespace okarchive
