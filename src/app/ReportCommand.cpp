#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "app/TimeArgument.h"
#include "domain/Errors.h"
#include "report/ReportWriter.h"
#include "stats/ChatStatistics.h"

namespace okarchive {
namespace {

/// With several chats, each gets its own report: STEM.<chat id>.EXT (as export names its files).
std::string reportPathFor(const std::string& output, const std::string& chatId, bool severalChats) {
    if (!severalChats) return output;
    const std::filesystem::path path(output);
    const auto id = chatId.substr(chatId.find(':') + 1);
    return (path.parent_path() / (path.stem().string() + "." + id + path.extension().string())).string();
}

/// Export's filters other than the time range do not apply to reports: say so rather than ignore them.
void rejectExportOnlyOptions(const ExportOptions& o) {
    auto reject = [](bool given, const char* option) {
        if (given)
            throw UsageError(fmt::format("{} applies to export only; a report covers every message in range", option));
    };
    reject(!o.senders.empty(), "--sender");
    reject(!o.kind.empty(), "--kind");
    reject(!o.has.empty(), "--has");
    reject(o.containsGiven, "--contains");
    reject(!o.partition.empty(), "--partition");
    reject(o.excel, "--excel");
    reject(o.rawCsv, "--raw-csv");
}

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int runReport(CommandContext& ctx) {
    if (ctx.format.empty()) throw UsageError("--format is required (html or json)");
    const auto format = parseReportFormat(ctx.format);
    if (ctx.chats.empty()) throw UsageError("report needs --chat=chat:ID (repeatable) or --chat=all");
    if (ctx.output.empty()) throw UsageError("--output=PATH is required (- for standard output)");
    const auto& o = ctx.exportOptions;
    rejectExportOnlyOptions(o);

    StatsQuery query;
    if (!o.timezone.empty()) query.zone = TimeZone::load(o.timezone);
    if (!o.since.empty()) query.since = parseTimeArgument(o.since, query.zone, "--since");
    if (!o.until.empty()) query.until = parseTimeArgument(o.until, query.zone, "--until");
    if (query.since && query.until && *query.since >= *query.until)
        throw UsageError(fmt::format("--since={} is not before --until={}", o.since, o.until));

    Settings settings(ctx.config);
    const auto path = settings.databasePath();
    auto archive = openExistingArchive(path);
    const auto chats = resolveArchivedChats(*archive, ctx.chats, path);
    const bool several = chats.size() > 1;
    if (several && ctx.output == "-")
        throw UsageError("several chats cannot share standard output: give --output=PATH");

    for (const auto& chat : chats) {
        auto chatQuery = query;
        chatQuery.chatId = chat;
        const auto stats = computeStatistics(*archive, chatQuery);
        HtmlReportInfo info;
        if (const auto chatInfo = archive->chatInfo(chat); chatInfo && !chatInfo->title.empty())
            info.chatTitle = chatInfo->title;
        info.generatedAtMs = nowMs();
        const auto file = reportPathFor(ctx.output, chat, several);
        writeReport(stats, format, info, file);
        if (ctx.output != "-")
            ctx.err << fmt::format("report of {} ({} messages, {} days) written to {}\n", chat, stats.messages,
                                   stats.byDay.size(), file);
    }
    return ExitOk;
}

}  // namespace okarchive
