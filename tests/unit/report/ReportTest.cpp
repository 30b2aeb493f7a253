#include <algorithm>
#include <regex>

#include <catch2/catch.hpp>

#include "domain/Json.h"
#include "report/HtmlReport.h"
#include "report/JsonReport.h"
#include "report/NumberFormat.h"
#include "report/SvgChart.h"

using namespace okarchive;

namespace {

const std::string kHostile = "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>";

ChatStatistics sample() {
    ChatStatistics s;
    s.chatId = "chat:C1";
    s.since = 1740787200000;
    s.until = 1741046400000;
    s.timezone = "Europe/Moscow";
    s.messages = 12345;
    s.serviceEvents = 7;
    s.attachments = 40;
    s.senders = 2;
    s.byDay = {{"2025-03-01", 12000}, {"2025-03-02", 0}, {"2025-03-03", 345}};
    s.byHourOfWeek[0][13] = 12000;
    s.byHourOfWeek[6][23] = 345;
    s.bySender = {{"user:1", kHostile, 12000, 1740787200001, 1740800000000},
                  {"user:2", "Бо\u202Eb", 345, 1741000000000, 1741000000001}};
    s.events = {{"ADD", 3}, {"EXIT", 2}, {kHostile, 2}};
    s.members = {{"2025-03-01", 3, 0}, {"2025-03-03", 0, 2}};
    s.attachmentsByType = {{"IMAGE", 30}, {"STICKER", 10}};
    s.conversations = 17;
    s.medianConversationLength = 2.5;
    s.medianGapSeconds = 61.5;
    s.replies = 3;
    s.medianResponseSeconds = 120;
    return s;
}

}  // namespace

TEST_CASE("the JSON report has every member of the documented format, in order", "[report][json]") {
    const auto s = sample();
    const auto doc = JsonDocument::parse(jsonReport(s));
    const auto& root = doc.root();
    std::vector<std::string> keys;
    for (const auto& [key, value] : root.members()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"format", "version", "chat_id", "since", "until", "timezone", "totals",
                                           "by_day", "by_hour_of_week", "by_sender", "events", "members",
                                           "attachments_by_type", "conversations", "replies", "media", "changes"});
    CHECK(root.find("format")->asString() == "okarchive-report");
    CHECK(root.find("version")->asInt64() == 1);
    CHECK(root.find("chat_id")->asString() == "chat:C1");
    CHECK(root.find("since")->asInt64() == 1740787200000);
    CHECK(root.find("until")->asInt64() == 1741046400000);
    CHECK(root.find("timezone")->asString() == "Europe/Moscow");
    const auto& totals = *root.find("totals");
    CHECK(totals.find("messages")->asInt64() == 12345);
    CHECK(totals.find("service_events")->asInt64() == 7);
    CHECK(totals.find("attachments")->asInt64() == 40);
    CHECK(totals.find("senders")->asInt64() == 2);
    const auto& days = root.find("by_day")->items();
    REQUIRE(days.size() == 3);
    CHECK(days[1].find("date")->asString() == "2025-03-02");
    CHECK(days[1].find("messages")->asInt64() == 0);
    const auto& week = root.find("by_hour_of_week")->items();
    REQUIRE(week.size() == 7);
    for (const auto& row : week) CHECK(row.items().size() == 24);
    CHECK(week[0].items()[13].asInt64() == 12000);
    CHECK(week[6].items()[23].asInt64() == 345);
    const auto& senders = root.find("by_sender")->items();
    REQUIRE(senders.size() == 2);
    CHECK(senders[0].find("user_id")->asString() == "user:1");
    CHECK(senders[0].find("name")->asString() == kHostile);
    CHECK(senders[0].find("messages")->asInt64() == 12000);
    CHECK(senders[0].find("first")->asInt64() == 1740787200001);
    CHECK(senders[0].find("last")->asInt64() == 1740800000000);
    CHECK(root.find("events")->find("ADD")->asInt64() == 3);
    CHECK(root.find("events")->find(kHostile)->asInt64() == 2);
    const auto& members = root.find("members")->items();
    REQUIRE(members.size() == 2);
    CHECK(members[1].find("left")->asInt64() == 2);
    CHECK(root.find("attachments_by_type")->find("IMAGE")->asInt64() == 30);
    const auto& conversations = *root.find("conversations");
    CHECK(conversations.find("count")->asInt64() == 17);
    CHECK(conversations.find("median_length")->raw() == "2.5");
    CHECK(conversations.find("median_gap_seconds")->raw() == "61.5");
    CHECK(root.find("replies")->find("count")->asInt64() == 3);
    CHECK(root.find("replies")->find("median_response_seconds")->raw() == "120");

    ChatStatistics empty;
    empty.chatId = "chat:C2";
    empty.timezone = "UTC";
    const auto emptyDoc = JsonDocument::parse(jsonReport(empty));
    CHECK(emptyDoc.root().find("since")->isNull());
    CHECK(emptyDoc.root().find("by_day")->items().empty());
    CHECK(emptyDoc.root().find("by_hour_of_week")->items().size() == 7);
}

TEST_CASE("the JSON report keeps its bytes: one line per top-level member", "[report][json]") {
    ChatStatistics s;
    s.chatId = "chat:C2";
    s.until = 1741046400000;
    s.timezone = "UTC";
    s.bySender = {{"user:1", "a\"b", 2, 10, 20}, {"user:2", "", 1, 30, 30}};
    s.events = {{"ADD", 1}};
    s.medianGapSeconds = 61.5;
    const std::string hours = "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]";
    REQUIRE(jsonReport(s) ==
            "{\"format\":\"okarchive-report\",\"version\":1,\n"
            "\"chat_id\":\"chat:C2\",\"since\":null,\"until\":1741046400000,\"timezone\":\"UTC\",\n"
            "\"totals\":{\"messages\":0,\"service_events\":0,\"attachments\":0,\"senders\":0},\n"
            "\"by_day\":[],\n"
            "\"by_hour_of_week\":[" +
                hours + "," + hours + "," + hours + "," + hours + "," + hours + "," + hours + "," + hours +
                "],\n"
                "\"by_sender\":[\n"
                "{\"user_id\":\"user:1\",\"name\":\"a\\\"b\",\"messages\":2,\"first\":10,\"last\":20},\n"
                "{\"user_id\":\"user:2\",\"name\":\"\",\"messages\":1,\"first\":30,\"last\":30}],\n"
                "\"events\":{\"ADD\":1},\n"
                "\"members\":[],\n"
                "\"attachments_by_type\":{},\n"
                "\"conversations\":{\"count\":0,\"median_length\":0,\"median_gap_seconds\":61.5},\n"
                "\"replies\":{\"count\":0,\"median_response_seconds\":0},\n"
                "\"media\":{\"saved\":0,\"saved_bytes\":0,\"missing\":0,\"by_type\":{}},\n"
                "\"changes\":{\"edits\":0,\"deletions\":0,\"by_day\":[],\"by_sender\":[]}}\n");
}

TEST_CASE("the HTML report is one self-contained page: every chart titled, names escaped, no script",
          "[report][html]") {
    const auto html = htmlReport(sample(), {kHostile, 1740787200000});
    for (const auto& title : htmlReportChartTitles()) {
        INFO(title);
        CHECK(html.find("<h2>" + title + "</h2>") != std::string::npos);
        CHECK(html.find("<title>" + title + "</title>") != std::string::npos);  // the SVG's own title
    }
    CHECK(html.find("Conversations and replies") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);  // the hostile name stays text
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("default-src 'none'; script-src 'none';") != std::string::npos);
    CHECK(html.find("http://") == std::string::npos);  // no external request possible
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("prefers-color-scheme:dark") != std::string::npos);
    CHECK(html.find("name=\"viewport\"") != std::string::npos);
    std::size_t svgs = 0;
    for (auto at = html.find("<svg "); at != std::string::npos; at = html.find("<svg ", at + 1)) ++svgs;
    CHECK(svgs == htmlReportChartTitles().size());
    CHECK(html.find("12,345") != std::string::npos);  // totals for humans
    CHECK(html.find("7-day average") != std::string::npos);
    CHECK(html.find("axis-title") != std::string::npos);

    ChatStatistics empty;
    empty.chatId = "chat:C2";
    empty.timezone = "UTC";
    const auto emptyHtml = htmlReport(empty, {});
    CHECK(emptyHtml.find("no data in this range") != std::string::npos);
    for (const auto& title : htmlReportChartTitles())
        CHECK(emptyHtml.find("<h2>" + title + "</h2>") != std::string::npos);
}

TEST_CASE("numbers for humans", "[report]") {
    CHECK(compactNumber(950) == "950");
    CHECK(compactNumber(1234) == "1.2k");
    CHECK(compactNumber(1000) == "1k");
    CHECK(compactNumber(12345) == "12k");
    CHECK(compactNumber(999999) == "1M");
    CHECK(compactNumber(3400000) == "3.4M");
    CHECK(compactNumber(2.5) == "2.5");
    CHECK(humanDuration(42) == "42 s");
    CHECK(humanDuration(210) == "3.5 min");
    CHECK(humanDuration(7560) == "2.1 h");
    CHECK(humanDuration(86400 * 3) == "3 days");
    CHECK(compactNumber(1234, Locale::Russian) == "1,2\u00A0тыс.");
    CHECK(compactNumber(12345, Locale::Russian) == "12\u00A0тыс.");
    CHECK(compactNumber(3400000, Locale::Russian) == "3,4\u00A0млн");
    CHECK(compactNumber(2.5, Locale::Russian) == "2,5");
    CHECK(humanDuration(210, Locale::Russian) == "3,5\u00A0мин");
    CHECK(humanDuration(86400 * 3, Locale::Russian) == "3\u00A0дн.");
    CHECK(svg::niceStep(100, 4) == 50);
    CHECK(svg::niceStep(7, 4) == 2);
    CHECK(svg::niceStep(0, 4) == 1);
}

TEST_CASE("the 7-day moving average trails over the whole range", "[report]") {
    const std::vector<DayCount> days = {{"a", 7}, {"b", 7}, {"c", 7},  {"d", 7},
                                        {"e", 7}, {"f", 7}, {"g", 14}, {"h", 0}};
    const auto avg = movingAverage7(days);
    REQUIRE(avg.size() == 8);
    CHECK(avg[0] == 7);
    CHECK(avg[5] == 7);
    CHECK(avg[6] == Approx(8.0));  // (6*7+14)/7
    CHECK(avg[7] == Approx(7.0));  // (5*7+14+0)/7
}

TEST_CASE("SVG charts escape labels and draw legends and axis titles", "[report][svg]") {
    const auto bars = svg::barChart({"T <b>", "x & y", ""}, {{kHostile, 5, {}}}, "legend <i>");
    CHECK(bars.find("<script") == std::string::npos);
    CHECK(bars.find("T &lt;b&gt;") != std::string::npos);
    CHECK(bars.find("x &amp; y") != std::string::npos);
    CHECK(bars.find("legend &lt;i&gt;") != std::string::npos);
    const auto line = svg::lineChart({"Line", "date", "messages"}, {"2025-01-01", "2025-01-02"},
                                     {{"up", {1, 2}, "s2"}, {"down", {0, -3}, "s3"}}, {{"avg", {1, 1.5}, "s1"}});
    CHECK(line.find("class=\"col s2\"") != std::string::npos);
    CHECK(line.find("class=\"col s3\"") != std::string::npos);
    CHECK(line.find("<polyline class=\"line s1\"") != std::string::npos);
    CHECK(line.find(">messages</text>") != std::string::npos);
    CHECK(line.find(">2025-01-02</text>") != std::string::npos);
    const auto heat = svg::heatmap({"Heat", "hour", "weekday"}, {"Mon"}, {"00:00", "01:00"}, {{0, 4}});
    CHECK(heat.find("Mon 01:00: 4") != std::string::npos);
    CHECK(heat.find("4 messages") != std::string::npos);
}

namespace {

/// Where each of `needles` first occurs in `haystack` after `from` (npos when missing).
std::vector<std::size_t> positions(const std::string& haystack, const std::vector<std::string>& needles,
                                   std::size_t from = 0) {
    std::vector<std::size_t> at;
    for (const auto& n : needles) at.push_back(haystack.find(n, from));
    return at;
}

ChatStatistics withKinds() {
    auto s = sample();
    s.events = {{"ADD", 1}, {"EXIT", 5}, {"JOIN", 5}, {"ZZZ_FUTURE_KIND", 3}};
    s.attachmentsByType = {{"IMAGE", 30}, {"INLINE_KEYBOARD", 12}, {"ZZZ_FUTURE_KIND", 2}};
    return s;
}

}  // namespace

TEST_CASE("events are listed by count, ties by name, in the JSON and the HTML report", "[report]") {
    const auto s = withKinds();
    const auto doc = JsonDocument::parse(jsonReport(s));
    std::vector<std::string> kinds;
    for (const auto& [key, value] : doc.root().find("events")->members()) kinds.push_back(key);
    CHECK(kinds == std::vector<std::string>{"EXIT", "JOIN", "ZZZ_FUTURE_KIND", "ADD"});  // raw kinds stay the keys
    CHECK(doc.root().find("events")->find("EXIT")->asInt64() == 5);

    const auto html = htmlReport(s, {});
    const auto events = html.find("<section id=\"events\"");
    REQUIRE(events != std::string::npos);
    const auto at =
        positions(html, {"Left the chat", "Joined the chat", "ZZZ_FUTURE_KIND", "Added to the chat"}, events);
    for (auto p : at) CHECK(p != std::string::npos);
    CHECK(std::is_sorted(at.begin(), at.end()));
}

TEST_CASE("the HTML report names attachment types and events for people, unknown kinds raw", "[report][html]") {
    const auto html = htmlReport(withKinds(), {});
    CHECK(html.find("<html lang=\"en\"") != std::string::npos);
    for (const char* name : {"Photo", "Buttons", "ZZZ_FUTURE_KIND", "Left the chat"}) {
        INFO(name);
        CHECK(html.find(name) != std::string::npos);
    }
    CHECK(html.find("INLINE_KEYBOARD") == std::string::npos);
    CHECK(html.find(">IMAGE<") == std::string::npos);
    CHECK(html.find(">EXIT<") == std::string::npos);
}

TEST_CASE("with the Russian locale every word, number and date of the HTML report is Russian", "[report][html]") {
    HtmlReportInfo info;
    info.locale = Locale::Russian;
    const auto html = htmlReport(withKinds(), info);
    CHECK(html.find("<html lang=\"ru\"") != std::string::npos);
    for (const auto& title : htmlReportChartTitles(Locale::Russian)) {
        INFO(title);
        CHECK(html.find("<h2>" + title + "</h2>") != std::string::npos);
        CHECK(html.find("<title>" + title + "</title>") != std::string::npos);
    }
    for (const char* word : {"Фото", "Кнопки", "Вышли из чата", "Вошли в чат", "ZZZ_FUTURE_KIND", "Пн", "Вс",
                             "12\u00A0345", "1 марта 2025 г.", "среднее за 7 дней", "Беседы и ответы", "2,5",
                             "<time datetime=\"2025-03-01\">1 марта 2025 г.</time>"}) {
        INFO(word);
        CHECK(html.find(word) != std::string::npos);
    }
    for (const char* english : {"INLINE_KEYBOARD", "Photo", "Messages per day", "Top senders", "7-day average",
                                "messages", "Mon<", "12,345", "no data"}) {
        INFO(english);
        CHECK(html.find(english) == std::string::npos);
    }
    ChatStatistics empty;
    empty.chatId = "chat:C2";
    empty.timezone = "UTC";
    CHECK(htmlReport(empty, info).find("нет данных за этот период") != std::string::npos);
}

TEST_CASE("the report's charts scale with their viewBox: no fixed minimum width", "[report][html]") {
    const auto html = htmlReport(sample(), {});
    const auto style = html.substr(0, html.find("</style>"));
    CHECK(style.find("min-width:6") == std::string::npos);  // 600 px cropped a 390 px phone
    CHECK(style.find("svg.chart{display:block;width:100%;max-width:720px;height:auto") != std::string::npos);
    std::regex viewBox("<svg class=\"chart\" viewBox=\"0 0 [0-9.]+ [0-9.]+\"");
    std::size_t charts = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), viewBox); it != std::sregex_iterator(); ++it)
        ++charts;
    CHECK(charts == htmlReportChartTitles().size());
}

TEST_CASE("the reports count saved and missing media by type", "[report][media]") {
    ChatStatistics s;
    s.chatId = "chat:C2";
    s.timezone = "UTC";
    const std::vector<MediaCount> media = {{"chat:C2", "AUDIO", MediaState::FailedPermanent, 1, 0},
                                           {"chat:C2", "IMAGE", MediaState::Expired, 2, 0},
                                           {"chat:C2", "IMAGE", MediaState::Pending, 1, 0},
                                           {"chat:C2", "IMAGE", MediaState::Saved, 5, 3 * 1024 * 1024}};
    const auto doc = JsonDocument::parse(jsonReport(s, media));
    const JsonValue* root = doc.root().find("media");
    REQUIRE(root);
    CHECK(root->find("saved")->raw() == "5");
    CHECK(root->find("saved_bytes")->raw() == "3145728");
    CHECK(root->find("missing")->raw() == "4");
    const JsonValue* image = root->find("by_type")->find("IMAGE");
    REQUIRE(image);
    CHECK(image->find("missing")->raw() == "3");
    CHECK(image->find("by_state")->find("expired")->raw() == "2");
    CHECK(image->find("by_state")->find("pending")->raw() == "1");
    CHECK_FALSE(image->find("by_state")->find("saved"));
    CHECK(root->find("by_type")->find("AUDIO")->find("by_state")->find("failed_permanent")->raw() == "1");

    HtmlReportInfo info;
    info.media = media;
    const auto html = htmlReport(s, info);
    CHECK(html.find("<section id=\"media\"><h2>Media</h2>") != std::string::npos);
    CHECK(html.find("<tr><td>Photo</td><td class=\"n\">5</td><td class=\"n\">3 MB</td><td class=\"n\">3</td>"
                    "<td>1 not downloaded yet, 2 expired</td></tr>") != std::string::npos);
    CHECK(html.find("<td>1 failed</td>") != std::string::npos);
    CHECK(html.find("<th>all</th>") != std::string::npos);
    info.locale = Locale::Russian;
    CHECK(htmlReport(s, info).find("<h2>Медиафайлы</h2>") != std::string::npos);
    CHECK(htmlReport(s, {}).find("No media in this range.") != std::string::npos);
}
