#include "report/ReportWriter.h"

#include <fmt/format.h>

#include "domain/Errors.h"
#include "exporters/AtomicOutputFile.h"
#include "report/JsonReport.h"

namespace okarchive {

ReportFormat parseReportFormat(const std::string& name) {
    if (name == "json") return ReportFormat::Json;
    if (name == "html") return ReportFormat::Html;
    throw UsageError(fmt::format("--format='{}': a report is html or json", name));
}

const char* reportFormatName(ReportFormat format) { return format == ReportFormat::Json ? "json" : "html"; }

std::uint64_t writeReport(const ChatStatistics& stats, ReportFormat format, const HtmlReportInfo& info,
                          const std::string& path) {
    const std::string text = format == ReportFormat::Json ? jsonReport(stats) : htmlReport(stats, info);
    AtomicOutputFile file(path);
    file.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!file.stream()) throw Error(fmt::format("cannot write the report to {}", path));
    file.commit();
    return text.size();
}

}  // namespace okarchive
