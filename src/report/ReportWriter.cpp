#include "report/ReportWriter.h"

#include <fmt/format.h>

#include "domain/Env.h"
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
                          const std::string& path, const OutputOptions& options, const Cancellation* cancel) {
    const std::string text = format == ReportFormat::Json ? jsonReport(stats, info.media) : htmlReport(stats, info);
    OutputOptions stoppable = options;
    if (cancel) stoppable.cancellation = cancel;
    AtomicOutputFile file(path, stoppable);
    file.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
    file.finish();  // names why a write failed
    if (cancel && cancel->cancelled())
        throw Cancelled(fmt::format("the report to {} was stopped before it was in place; nothing was replaced", path));
    file.commit();
    return text.size();
}

}  // namespace okarchive
