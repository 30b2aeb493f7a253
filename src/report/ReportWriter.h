#pragma once

#include <cstdint>
#include <string>

#include "report/HtmlReport.h"
#include "stats/ChatStatistics.h"

namespace okarchive {

enum class ReportFormat { Json, Html };

/// "json" or "html"; throws UsageError naming --format otherwise.
ReportFormat parseReportFormat(const std::string& name);
const char* reportFormatName(ReportFormat format);  ///< "json" or "html" (also the file extension)

/// Writes the report of `stats` to `path` atomically (whole or not at all; "-" is standard output). Returns the bytes
/// written. Throws Error naming the path.
std::uint64_t writeReport(const ChatStatistics& stats, ReportFormat format, const HtmlReportInfo& info,
                          const std::string& path);

}  // namespace okarchive
