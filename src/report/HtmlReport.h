#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stats/ChatStatistics.h"

namespace okarchive {

/// What the HTML report shows besides the statistics.
struct HtmlReportInfo {
    std::string chatTitle;           ///< empty: the chat id is the title
    std::int64_t generatedAtMs = 0;  ///< shown in the footer when not 0
};

/// The titles of the report's charts, in page order (the browser test looks for each in the DOM).
const std::vector<std::string>& htmlReportChartTitles();

/// One self-contained HTML page: inline CSS and SVG charts (svg::), no script (a CSP forbids them), no external
/// request; light and dark themes; readable from phone to desktop. Every name is escaped.
std::string htmlReport(const ChatStatistics& stats, const HtmlReportInfo& info);

/// The trailing 7-day moving average of `daily` (day i: mean of days i-6..i, fewer at the start of the range).
std::vector<double> movingAverage7(const std::vector<DayCount>& daily);

}  // namespace okarchive
