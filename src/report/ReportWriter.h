#pragma once

#include <cstdint>
#include <string>

#include "exporters/AtomicOutputFile.h"
#include "report/HtmlReport.h"
#include "stats/ChatStatistics.h"

namespace okarchive {

class Cancellation;

enum class ReportFormat { Json, Html };

/// "json" or "html"; throws UsageError naming --format otherwise.
ReportFormat parseReportFormat(const std::string& name);
const char* reportFormatName(ReportFormat format);  ///< "json" or "html" (also the file extension)

/// Writes the report of `stats` to `path` atomically (whole or not at all; "-" is standard output; a device or FIFO
/// in place), refusing a path `options.guard` protects (UsageError). Returns the bytes written. Throws Error naming
/// the path, or Cancelled (nothing replaced) when `cancel` was cancelled before the report was in place.
std::uint64_t writeReport(const ChatStatistics& stats, ReportFormat format, const HtmlReportInfo& info,
                          const std::string& path, const OutputOptions& options = {},
                          const Cancellation* cancel = nullptr);

}  // namespace okarchive
