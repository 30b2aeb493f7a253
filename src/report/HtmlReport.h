#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/Locale.h"
#include "stats/ChatStatistics.h"
#include "store/MediaLedger.h"

namespace okarchive {

/// What the HTML report shows besides the statistics.
struct HtmlReportInfo {
    std::string chatTitle;            ///< empty: the chat id is the title
    std::int64_t generatedAtMs = 0;   ///< shown in the footer when not 0
    Locale locale = Locale::English;  ///< the language of every word, number and date on the page
    /// The media of the report's messages by type and state (MessageReader::mediaCounts): its own section here and
    /// the JSON report's "media".
    std::vector<MediaCount> media = {};
};

/// The titles of the report's charts in `locale`, in page order (the browser test looks for each in the DOM).
const std::vector<std::string>& htmlReportChartTitles(Locale locale = Locale::English);

/// One self-contained HTML page in `info.locale`: inline CSS and SVG charts (svg::) that scale with their viewBox
/// (nothing wider than a 360 px phone), no script (a CSP forbids them), no external request; light and dark themes.
/// Events and attachment types by count, under their human names (domain/Locale.h), and the media saved and missing
/// by type (info.media). Every name is escaped.
std::string htmlReport(const ChatStatistics& stats, const HtmlReportInfo& info);

/// The trailing 7-day moving average of `daily` (day i: mean of days i-6..i, fewer at the start of the range).
std::vector<double> movingAverage7(const std::vector<DayCount>& daily);

}  // namespace okarchive
