
#include <fmt/format.h>

#include "app/ArchiveAccess.h"
#include "app/ChatOutputs.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "app/StopSignals.h"
#include "app/TimeArgument.h"
#include "domain/Env.h"
#include "domain/Errors.h"
#include "domain/InertText.h"
#include "domain/Locale.h"
#include "report/ReportWriter.h"
#include "stats/ChatStatistics.h"

namespace okarchive {
namespace {

/// The time range and zone of the report (--since, --until, --timezone), and whether digests count.
StatsQuery queryFrom(const CommandOptions& o) {
    StatsQuery query;
    query.includeDigests = o.has("include-digests");
    const auto since = o.value("since"), until = o.value("until"), zone = o.value("timezone");
    if (!zone.empty()) query.zone = TimeZone::load(zone);
    if (!since.empty()) query.since = parseTimeArgument(since, query.zone, "--since");
    if (!until.empty()) query.until = parseTimeArgument(until, query.zone, "--until");
    if (query.since && query.until && *query.since >= *query.until)
        throw UsageError(fmt::format("--since={} is not before --until={}", since, until));
    return query;
}

int runReport(CommandContext& ctx) {
    StopSignals signals(
        StopSignals::Options{.hangupStops = true, .onStop = {}});  // a stop leaves the previous report in place
    const auto& o = ctx.options;
    if (o.value("format").empty()) throw UsageError("--format is required (html or json)");
    const auto format = parseReportFormat(o.value("format"));
    if (o.values("chat").empty()) throw UsageError("report needs --chat=chat:ID (repeatable) or --chat=all");
    const auto output = o.value("output");
    if (output.empty()) throw UsageError("--output=PATH is required (- for standard output)");
    const auto query = queryFrom(o);

    Settings settings(ctx.config);
    const Locale locale = o.has("locale") ? parseLocale(o.value("locale"), "--locale") : settings.locale();
    const auto path = settings.databasePath();
    const auto protectedPaths = protectedOutputPaths(ctx, path);
    auto archive = openExistingArchive(path, ArchiveMode::ReadOnly);
    const auto chats = resolveArchivedChats(*archive, o.values("chat"), path, ctx.err);
    requireOutputPerChat(output, chats.size());
    const bool perChat = outputPerChat(o.values("chat"), output);
    for (const auto& chat : chats) protectedPaths.check(outputForChat(output, chat, perChat));
    const Env& env = Env::system();

    for (const auto& chat : chats) {
        auto chatQuery = query;
        chatQuery.chatId = chat;
        const auto stats = computeStatistics(*archive, chatQuery);
        HtmlReportInfo info;
        info.locale = locale;
        if (const auto chatInfo = archive->chatInfo(chat); chatInfo && !chatInfo->title.empty())
            info.chatTitle = chatInfo->title;
        info.generatedAtMs = env.wallMs();
        MessageQuery mediaQuery{chat, query.since, query.until};
        mediaQuery.excludeDigests = !query.includeDigests;
        info.media = archive->snapshot()->mediaCounts(mediaQuery);  // saved and missing media of the period
        const auto file = outputForChat(output, chat, perChat);
        const int stopped = writeUnlessStopped(signals, ctx.err, "report", [&] {
            writeReport(stats, format, info, file, {&protectedPaths, true}, &signals.cancellation());
            if (output != "-")
                ctx.err << fmt::format("report of {} ({} messages, {} days) written to {}\n", inertText(chat),
                                       stats.messages, stats.byDay.size(), file);
        });
        if (stopped) return stopped;
    }
    return ExitOk;
}

std::vector<OptionSpec> reportOptions() {
    auto options = std::vector<OptionSpec>{
        {"format", "", "FORMAT", false, "html or json (required)"},
        {"chat", "", "chat:ID|all", true,
         "a chat to report on, or all (but those never synced successfully); repeatable (required)"},
        outputOption(),
    };
    for (auto& o : timeRangeOptions("--timezone")) options.push_back(std::move(o));
    options.push_back(timezoneOption());
    options.push_back({"locale", "", "en|ru", false,
                       "the language of the HTML report's words, numbers and dates (default: setting export.locale)"});
    options.push_back({"include-digests", "", "", false,
                       "count the digests okarchive itself posted as chat activity (left out by default)"});
    return options;
}

}  // namespace

const CommandSpec& reportCommand() {
    static const CommandSpec spec{
        "report",
        "--format=html|json --chat=chat:ID|all --output=PATH [--since=T] [--until=T] [--timezone=Area/City] "
        "[--locale=en|ru] [--include-digests]",
        "write an activity report: per day, hour of week, senders, joins, conversations", reportOptions(), runReport};
    return spec;
}

}  // namespace okarchive
