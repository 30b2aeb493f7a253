#include "report/HtmlReport.h"

#include <algorithm>

#include <fmt/format.h>

#include "domain/TimeFormat.h"
#include "exporters/HtmlText.h"
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
.fig{overflow-x:auto}
svg.chart{display:block;width:100%;height:auto;font-size:12px;fill:var(--fg)}
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
.two section{margin:0}
table{border-collapse:collapse;width:100%;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
td.n,th.n{text-align:right;white-space:nowrap}
.scroll{max-height:420px;overflow:auto}
footer{color:var(--muted);font-size:.8rem;padding-top:0}
@media (max-width:640px){header,main,footer{padding:10px}.two{grid-template-columns:1fr}section{padding:10px}
.tile b{font-size:1.2rem}svg.chart{min-width:600px}}
@media print{body{background:#fff}section,.tile{break-inside:avoid}}
)CSS";

const std::vector<std::string> kTitles = {"Messages per day", "Activity by weekday and hour", "Top senders",
                                          "Joins and leaves", "Attachments by type"};

void escape(std::string& out, std::string_view text) { appendHtmlEscaped(out, text); }

void tile(std::string& out, const std::string& value, const std::string& label) {
    out += "<div class=\"tile\"><b>" + value + "</b><span>" + label + "</span></div>";
}

std::string dateOf(const ChatStatistics& s, std::int64_t ms) {
    try {
        return TimeZone::load(s.timezone).localDate(ms);
    } catch (const std::exception&) {
        return formatIsoUtc(ms).substr(0, 10);
    }
}

std::string rangeText(const ChatStatistics& s) {
    if (s.byDay.empty()) return "no messages";
    if (s.byDay.size() == 1) return s.byDay.front().date;
    return fmt::format("{} \u2013 {} ({} days)", s.byDay.front().date, s.byDay.back().date,
                       groupedNumber(static_cast<std::int64_t>(s.byDay.size())));
}

/// A chart in a box that scrolls sideways on narrow screens rather than shrinking its text below legibility.
std::string figure(const std::string& svg) { return "<div class=\"fig\">" + svg + "</div>"; }

void section(std::string& out, const std::string& id, const std::string& title, const std::string& body,
             const std::string& note = {}) {
    out += "<section id=\"" + id + "\"><h2>" + htmlEscaped(title) + "</h2>\n" + body;
    if (!note.empty()) out += "\n<p class=\"note\">" + note + "</p>";
    out += "</section>\n";
}

/// The document head (CSP, inline style) and the page header: title, chat id, range, time zone.
void writeHead(std::string& out, const ChatStatistics& s, const HtmlReportInfo& info) {
    const std::string& title = info.chatTitle.empty() ? s.chatId : info.chatTitle;
    appendHtmlHead(out, "en", "'none'");
    escape(out, title);
    out += " \u00B7 activity report</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n<header><h1><bdi>";
    escape(out, title);
    out += "</bdi></h1>\n<p class=\"sub\">Activity report \u00B7 ";
    escape(out, s.chatId);
    out += " \u00B7 " + htmlEscaped(rangeText(s)) + " \u00B7 times in " + htmlEscaped(s.timezone) + "</p></header>\n";
}

void writeTotals(std::string& out, const ChatStatistics& s) {
    out += "<div class=\"tiles\">";
    tile(out, groupedNumber(s.messages), "messages");
    tile(out, groupedNumber(s.senders), "senders");
    tile(out, groupedNumber(s.serviceEvents), "service events");
    tile(out, groupedNumber(s.attachments), "attachments");
    tile(out, groupedNumber(s.conversations), "conversations");
    tile(out, groupedNumber(s.replies), "replies");
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
void writePerDay(std::string& out, const ChatStatistics& s) {
    std::vector<double> daily;
    std::int64_t busiest = 0;
    std::string busiestDate;
    for (const auto& d : s.byDay) {
        daily.push_back(static_cast<double>(d.messages));
        if (d.messages > busiest) busiest = d.messages, busiestDate = d.date;
    }
    section(
        out, "per-day", kTitles[0],
        figure(svg::lineChart({kTitles[0], "date (" + s.timezone + ")", "messages"}, rangeDates(s),
                              {{"messages per day", daily, "s0"}}, {{"7-day average", movingAverage7(s.byDay), "s1"}})),
        s.byDay.empty()
            ? std::string()
            : fmt::format("{} messages a day on average; the busiest day was {} with {}.",
                          shortDecimal(static_cast<double>(s.messages) / static_cast<double>(s.byDay.size())),
                          busiestDate, groupedNumber(busiest)));
}

void writeHourOfWeek(std::string& out, const ChatStatistics& s) {
    static const std::vector<std::string> weekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    std::vector<std::string> hours;
    for (int h = 0; h < 24; ++h) hours.push_back(fmt::format("{:02}:00", h));
    std::vector<std::vector<std::int64_t>> cells;
    for (const auto& row : s.byHourOfWeek) cells.emplace_back(row.begin(), row.end());
    section(out, "hour-of-week", kTitles[1],
            figure(svg::heatmap({kTitles[1], "hour of day (" + s.timezone + ")", "weekday"}, weekdays, hours, cells)));
}

/// The table of the first 100 senders (folded), below the top-senders chart.
std::string senderTable(const ChatStatistics& s) {
    if (s.bySender.empty()) return {};
    std::string table =
        "<details><summary>All senders</summary><div class=\"scroll\"><table><thead><tr><th>name</th>"
        "<th>user id</th><th class=\"n\">messages</th><th>first</th><th>last</th></tr></thead><tbody>";
    for (std::size_t i = 0; i < s.bySender.size() && i < kSenderTableRows; ++i) {
        const auto& sender = s.bySender[i];
        table += "<tr><td><bdi>" + htmlEscaped(sender.name) + "</bdi></td><td>" + htmlEscaped(sender.userId) +
                 "</td><td class=\"n\">" + groupedNumber(sender.messages) + "</td><td>" + dateOf(s, sender.first) +
                 "</td><td>" + dateOf(s, sender.last) + "</td></tr>";
    }
    return table + "</tbody></table></div></details>";
}

void writeSenders(std::string& out, const ChatStatistics& s) {
    std::vector<svg::Bar> bars;
    for (std::size_t i = 0; i < s.bySender.size() && i < kTopSenders; ++i) {
        const auto& sender = s.bySender[i];
        bars.push_back({sender.name.empty() ? sender.userId : sender.name, static_cast<double>(sender.messages), {}});
    }
    section(out, "senders", kTitles[2],
            figure(svg::barChart({kTitles[2], "messages", ""}, bars, "messages per sender")) + senderTable(s),
            s.bySender.size() > kTopSenders
                ? fmt::format("The {} most active of {} senders.", kTopSenders, groupedNumber(s.senders))
                : std::string());
}

/// Joins and leaves per day, over the whole range (leaves below the axis).
void writeMembers(std::string& out, const ChatStatistics& s) {
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
    section(out, "members", kTitles[3],
            figure(svg::lineChart({kTitles[3], "date (" + s.timezone + ")", "people (left below the axis)"}, dates,
                                  {{"joined", joined, "s2"}, {"left", left, "s3"}}, {})),
            fmt::format("{} joined and {} left (service events ADD, JOIN, ENTER, INVITE and EXIT, LEAVE, REMOVE, "
                        "KICK).",
                        groupedNumber(totalJoined), groupedNumber(totalLeft)));
}

void writeAttachments(std::string& out, const ChatStatistics& s) {
    std::vector<svg::Bar> bars;
    for (const auto& [type, count] : s.attachmentsByType) bars.push_back({type, static_cast<double>(count), {}});
    std::stable_sort(bars.begin(), bars.end(), [](const svg::Bar& a, const svg::Bar& b) { return a.value > b.value; });
    section(out, "attachments", kTitles[4],
            figure(svg::barChart({kTitles[4], "attachments", ""}, bars, "attachments", "s1")));
}

void writeConversations(std::string& out, const ChatStatistics& s) {
    std::string talk = "<div class=\"tiles\">";
    tile(talk, groupedNumber(s.conversations), "conversations");
    tile(talk, shortDecimal(s.medianConversationLength), "messages in a typical conversation (median)");
    tile(talk, htmlEscaped(humanDuration(s.medianGapSeconds)), "between messages of a conversation (median)");
    tile(talk, groupedNumber(s.replies), "replies");
    tile(talk, htmlEscaped(humanDuration(s.medianResponseSeconds)), "until a reply (median)");
    talk += "</div>";
    section(out, "conversations", "Conversations and replies", talk,
            "A conversation ends after more than 30 minutes of silence. Replies count when the message replied to is "
            "archived.");
}

void writeEvents(std::string& out, const ChatStatistics& s) {
    std::string events = "<table><thead><tr><th>type</th><th class=\"n\">events</th></tr></thead><tbody>";
    for (const auto& [type, count] : s.events)
        events += "<tr><td>" + htmlEscaped(type) + "</td><td class=\"n\">" + groupedNumber(count) + "</td></tr>";
    if (s.events.empty()) events += "<tr><td colspan=\"2\">none in this range</td></tr>";
    events += "</tbody></table>";
    section(out, "events", "Service events by type", events);
}

void writeFooter(std::string& out, const HtmlReportInfo& info) {
    out += "<footer>Generated by okarchive";
    if (info.generatedAtMs != 0) out += " on " + formatIsoUtc(info.generatedAtMs).substr(0, 16) + "Z";
    out += ". A self-contained page: no scripts, no external requests.</footer>\n</body>\n</html>\n";
}

}  // namespace

const std::vector<std::string>& htmlReportChartTitles() { return kTitles; }

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
    std::string out;
    writeHead(out, s, info);
    out += "<main>\n";
    writeTotals(out, s);
    writePerDay(out, s);
    writeHourOfWeek(out, s);
    writeSenders(out, s);
    writeMembers(out, s);
    writeAttachments(out, s);
    out += "<div class=\"two\">";
    writeConversations(out, s);
    writeEvents(out, s);
    out += "</div>\n</main>\n";
    writeFooter(out, info);
    return out;
}

}  // namespace okarchive
