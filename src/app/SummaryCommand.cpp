#include <memory>
#include <ostream>

#include <Poco/Util/AbstractConfiguration.h>
#include <fmt/format.h>

#include "api/GraphClient.h"
#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "app/TimeArgument.h"
#include "domain/Errors.h"
#include "domain/InertText.h"
#include "domain/Env.h"
#include "service/ServiceConfig.h"
#include "digest/SummaryCalendar.h"
#include "digest/SummaryLedger.h"
#include "digest/SummaryPoster.h"
#include "store/Archive.h"
#include "store/ArchiveLock.h"

namespace okarchive {
namespace {

/// The settings' summary.* give time zone, language and the time of day; --period (or a custom range) the period.
SummaryConfig summaryConfigFrom(CommandContext& ctx) {
    const auto& o = ctx.options;
    SummaryConfig config;
    config.timezone = ctx.config.getString("summary.timezone", "UTC");
    config.at = ctx.config.getString("summary.at", "09:00");
    config.language = ctx.config.getString("summary.language", "en");
    const auto periodName = o.value("period");
    const bool custom = !o.value("since").empty() || !o.value("until").empty();
    if (custom == !periodName.empty())
        throw UsageError("summary needs either --period=day|week|month [--at=DATE] or --since=T --until=T");
    if (custom && (o.value("since").empty() || o.value("until").empty()))
        throw UsageError("summary: --since and --until go together");
    if (!custom && periodName != "day" && periodName != "week" && periodName != "month")
        throw UsageError(fmt::format("--period = '{}' must be day, week or month", periodName));
    config.period = custom ? "day" : periodName;
    return config;
}

/// The period the digest covers: --since/--until, the period containing --at, or the latest closed one.
SummaryPeriod periodFrom(const CommandOptions& o, const SummaryCalendar& calendar, const Env& env) {
    if (!o.value("since").empty()) {
        const auto since = parseTimeArgument(o.value("since"), calendar.zone(), "--since");
        const auto until = parseTimeArgument(o.value("until"), calendar.zone(), "--until");
        if (until <= since) throw UsageError("summary: --until must be after --since");
        return calendar.custom(since, until);
    }
    if (!o.value("at").empty()) return calendar.containing(parseTimeArgument(o.value("at"), calendar.zone(), "--at"));
    return calendar.previous(calendar.containing(env.wallMs()));
}

/// Says what became of the digest; exit 1 if an earlier attempt may have posted it (only sync can tell).
int reportOutcome(SummaryPoster::Outcome outcome, const std::string& chatId, const SummaryPeriod& period,
                  std::ostream& err) {
    switch (outcome) {
        case SummaryPoster::Outcome::Posted:
            err << fmt::format("okarchive summary: posted into {}\n", chatId);
            return ExitOk;
        case SummaryPoster::Outcome::AlreadyPosted:
        case SummaryPoster::Outcome::FoundInHistory:
            err << fmt::format(
                "okarchive summary: the digest of {} for {} was posted already; not posting it again "
                "(--force posts another)\n",
                chatId, period.label);
            return ExitOk;
        case SummaryPoster::Outcome::Unresolved:
            err << fmt::format(
                "okarchive summary: an earlier attempt to post the digest of {} for {} was "
                "interrupted and may have reached the chat; run okarchive sync --chat={} and try "
                "again (it is looked for in the history), or --force\n",
                chatId, period.label, chatId);
            return ExitPartialFailure;
    }
    return ExitOk;
}

/// Posts `text` exactly once (SummaryPoster::deliver) and says what happened; a failed POST exits 1 with advice that
/// works: the advised sync lets the retry find the post or prove it absent.
int postDigest(CommandContext& ctx, const Settings& settings, Archive& archive, const std::string& chatId,
               const SummaryPeriod& period, const std::string& text) {
    const auto limiter = std::make_shared<RateLimiter>(settings.requestsPerSecond());
    GraphClient client(settings.api(), limiter);
    const bool force = ctx.options.has("force");
    // The latest successful sync (the one the advice below asks for) judges an interrupted attempt.
    const auto lastSync = SummaryLedger(archive).latestSyncStart(chatId);
    try {
        const auto outcome =
            SummaryPoster::deliver(archive, client, chatId, period, text, force, Env::system(), lastSync);
        return reportOutcome(outcome, chatId, period, ctx.err);
    } catch (const AuthError&) {
        throw;
    } catch (const ApiError& e) {
        ctx.err << fmt::format(
            "okarchive summary: posting the digest of {} for {} failed: {}\nIt may have reached the chat all the "
            "same: run okarchive sync --chat={} and try again (it is looked for in the history and posted only if "
            "absent)\n",
            chatId, period.label, inertText(e.what()), chatId);
        return ExitPartialFailure;
    }
}

int runSummary(CommandContext& ctx) {
    const auto chats = ctx.options.values("chat");
    if (chats.size() != 1) throw UsageError("summary needs exactly one --chat=chat:ID");
    const auto chatId = chats.front();
    requireChatId(chatId, "--chat");
    Settings settings(ctx.config);
    const auto databasePath = settings.databasePath();
    const auto config = summaryConfigFrom(ctx);
    const SummaryCalendar calendar(config);
    const Env& env = Env::system();
    const auto period = periodFrom(ctx.options, calendar, env);
    const bool dryRun = ctx.options.has("dry-run");

    std::unique_ptr<ArchiveLock> lock;
    if (!dryRun)
        lock = std::make_unique<ArchiveLock>(databasePath, ArchiveLock::IfMissing::Skip);  // exit 4 if serve runs
    auto archive = openExistingArchive(databasePath, ArchiveMode::ReadWrite);
    requireArchivedChat(*archive, chatId, databasePath);
    const auto text = SummaryPoster::composeDigest(*archive, chatId, calendar, period, config.language);
    ctx.out << inertLines(text) << "\n";  // the digest as posted, but sender names cannot steer the terminal
    ctx.out.flush();
    if (dryRun) return ExitOk;

    return postDigest(ctx, settings, *archive, chatId, period, text);
}

std::vector<OptionSpec> summaryOptions() {
    auto options = std::vector<OptionSpec>{
        {"chat", "", "chat:ID", false, "the chat whose digest to print and post (required)"},
        {"period", "", "PERIOD", false, "day, week or month"},
        {"at", "", "DATE", false, "a date inside the period (default: the latest closed one)"},
    };
    for (auto& o : timeRangeOptions("summary.timezone")) options.push_back(std::move(o));
    options.insert(options.end(), {
                                      {"dry-run", "", "", false, "print the digest, do not post it"},
                                      {"force", "", "", false, "post even if this period's digest was posted already"},
                                  });
    return options;
}

}  // namespace

const CommandSpec& summaryCommand() {
    static const CommandSpec spec{
        "summary", "--chat=chat:ID (--period=day|week|month [--at=DATE] | --since=T --until=T) [--dry-run] [--force]",
        "print a chat's digest and post it into the chat (once)", summaryOptions(), runSummary};
    return spec;
}

}  // namespace okarchive
