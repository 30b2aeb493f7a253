#include <algorithm>

#include <fmt/format.h>

#include "app/Commands.h"
#include "app/MediaRoom.h"
#include "app/Settings.h"
#include "app/StopSignals.h"
#include "app/SyncReport.h"
#include "domain/Errors.h"
#include "store/Archive.h"
#include "store/ArchiveLock.h"
#include "sync/SyncRunner.h"

namespace okarchive {

namespace {

/// sync.* with the chats of --chat instead of sync.chats when given.
SyncSettings syncSettings(const Settings& settings, const CommandContext& ctx) {
    auto sync = settings.sync();
    if (const auto chats = ctx.options.values("chat"); !chats.empty()) {
        for (const auto& chat : chats) requireChatId(chat, "--chat");
        sync.chats = chats;
    }
    if (sync.chats.empty())
        throw UsageError("no chats to sync: pass --chat=chat:ID or set sync.chats (a list, or all)");
    if (ctx.options.has("recheck")) sync.recheck.forced = parseRecheckSpan(ctx.options.value("recheck"), "--recheck");
    sync.recheck.maxPages = 0;  // `sync` runs each re-check pass to its end
    return sync;
}

int runSync(CommandContext& ctx) {
    Settings settings(ctx.config);
    const auto sync = syncSettings(settings, ctx);
    const auto api = settings.api();
    const auto limiter = std::make_shared<RateLimiter>(settings.requestsPerSecond());
    const auto mediaConfig = settings.media();

    StopSignals signals;  // before any thread starts: SIGINT and SIGTERM stop the sync instead of killing it
    ArchiveLock lock(settings.databasePath());  // a second sync or a serve exits 4
    const auto opened = openArchive(settings.databasePath());
    Archive& archive = *opened;
    const auto mediaLedger = openArchive(settings.databasePath());  // the downloads record on their own connection
    MediaRoom media(mediaConfig, Env::system());
    GraphClient client(api, limiter, Env::system(), signals.cancellation());
    SyncRunner runner(archive, client, sync, Env::system());
    const MediaPlan plan{mediaConfig, media.access()};
    runner.setMedia(&plan, mediaLedger.get(), &signals.cancellation());
    std::vector<ChatSyncResult> results;
    bool abandoned = false;
    try {
        results = runSyncWithReport(runner, ctx.out, ctx.err, Env::system());
    } catch (const Cancelled&) {
        if (!signals.cancellation().cancelled()) throw;
        abandoned = true;
    }
    const bool anyStopped = std::any_of(results.begin(), results.end(), [](const auto& r) { return r.stopped; });
    if (abandoned || anyStopped)  // a chat stopped part-way, or a request was abandoned; a late signal is not that
        throw Cancelled(fmt::format("stopped by {}: the pages fetched so far are archived, run sync again for the rest",
                                    signals.received()));
    const bool anyFailed = std::any_of(results.begin(), results.end(), [](const auto& r) { return !r.ok; });
    return anyFailed ? ExitPartialFailure : ExitOk;
}

}  // namespace

const CommandSpec& syncCommand() {
    static const CommandSpec spec{
        "sync",
        "[--chat=chat:ID]... [--recheck=DURATION|all|0]",
        "archive everything new in the chats (default: sync.chats), then re-check recent history for edits and "
        "deletions (sync.recheck)",
        {{"chat", "", "chat:ID", true, "a chat to sync instead of the setting sync.chats; repeatable"},
         {"recheck", "", "DURATION|all|0", false,
          "re-check this much archived history (30d), all of it, or none (0) instead of sync.recheck, in a fresh "
          "pass even if one was interrupted"}},
        runSync};
    return spec;
}

}  // namespace okarchive
