#include <memory>

#include <Poco/Util/AbstractConfiguration.h>
#include <fmt/format.h>

#include "api/GraphClient.h"
#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "app/TimeArgument.h"
#include "domain/Errors.h"
#include "service/Clock.h"
#include "service/ServiceConfig.h"
#include "service/SummaryCalendar.h"
#include "service/SummaryLedger.h"
#include "service/SummaryPoster.h"
#include "store/Archive.h"
#include "store/ArchiveLock.h"

namespace okarchive {

int runSummary(CommandContext& ctx) {
    if (ctx.chats.size() != 1) throw UsageError("summary needs exactly one --chat=chat:ID");
    const auto chatId = ctx.chats.front();
    requireChatId(chatId, "--chat");
    Settings settings(ctx.config);
    const auto databasePath = settings.databasePath();

    // The settings' summary.* give time zone, language and the time of day; --period overrides the period.
    SummaryConfig config;
    config.timezone = ctx.config.getString("summary.timezone", "UTC");
    config.at = ctx.config.getString("summary.at", "09:00");
    config.language = ctx.config.getString("summary.language", "en");
    const auto& o = ctx.summary;
    const bool custom = !ctx.exportOptions.since.empty() || !ctx.exportOptions.until.empty();
    if (custom == !o.period.empty())
        throw UsageError("summary needs either --period=day|week|month [--at=DATE] or --since=T --until=T");
    if (custom && (ctx.exportOptions.since.empty() || ctx.exportOptions.until.empty()))
        throw UsageError("summary: --since and --until go together");
    if (!custom && o.period != "day" && o.period != "week" && o.period != "month")
        throw UsageError(fmt::format("--period = '{}' must be day, week or month", o.period));
    config.period = custom ? "day" : o.period;
    const SummaryCalendar calendar(config);
    SystemClock clock;

    SummaryPeriod period;
    if (custom) {
        const auto since = parseTimeArgument(ctx.exportOptions.since, calendar.zone(), "--since");
        const auto until = parseTimeArgument(ctx.exportOptions.until, calendar.zone(), "--until");
        if (until <= since) throw UsageError("summary: --until must be after --since");
        period = calendar.custom(since, until);
    } else if (!o.at.empty()) {
        period = calendar.containing(parseTimeArgument(o.at, calendar.zone(), "--at"));
    } else {
        period = calendar.previous(calendar.containing(clock.wallMs()));  // the latest closed period
    }

    std::unique_ptr<ArchiveLock> lock;
    if (!o.dryRun) lock = std::make_unique<ArchiveLock>(databasePath, "okarchive summary");  // exit 4 if serve runs
    auto archive = openExistingArchive(databasePath);
    requireArchivedChat(*archive, chatId, databasePath);
    const auto text = SummaryPoster::composeDigest(*archive, chatId, calendar, period, config.language);
    ctx.out << text << "\n";
    ctx.out.flush();
    if (o.dryRun) return ExitOk;

    const auto limiter = std::make_shared<RateLimiter>(settings.requestsPerSecond());
    GraphClient client(settings.api(), limiter);
    switch (SummaryPoster::deliver(*archive, client, chatId, period, text, o.force, clock, std::nullopt)) {
        case SummaryPoster::Outcome::Posted:
            ctx.err << fmt::format("okarchive summary: posted into {}\n", chatId);
            return ExitOk;
        case SummaryPoster::Outcome::AlreadyPosted:
        case SummaryPoster::Outcome::FoundInHistory:
            ctx.err << fmt::format(
                "okarchive summary: the digest of {} for {} was posted already; not posting it again "
                "(--force posts another)\n",
                chatId, period.label);
            return ExitOk;
        case SummaryPoster::Outcome::Unresolved:
            ctx.err << fmt::format(
                "okarchive summary: an earlier attempt to post the digest of {} for {} was "
                "interrupted and may have reached the chat; run okarchive sync --chat={} and try "
                "again (it is looked for in the history), or --force\n",
                chatId, period.label, chatId);
            return ExitPartialFailure;
    }
    return ExitOk;
}

}  // namespace okarchive
