#include <algorithm>

#include "app/Commands.h"
#include "app/Settings.h"
#include "app/SyncReport.h"
#include "domain/Errors.h"
#include "store/Archive.h"
#include "store/ArchiveLock.h"
#include "sync/SyncRunner.h"

namespace okarchive {

int runSync(CommandContext& ctx) {
    Settings settings(ctx.config);
    auto sync = settings.sync();
    if (!ctx.chats.empty()) {
        for (const auto& chat : ctx.chats) requireChatId(chat, "--chat");
        sync.chats = ctx.chats;
    }
    if (sync.chats.empty())
        throw UsageError("no chats to sync: pass --chat=chat:ID or set sync.chats (a list, or all)");
    const auto api = settings.api();
    const auto limiter = std::make_shared<RateLimiter>(settings.requestsPerSecond());

    ArchiveLock lock(settings.databasePath(), "okarchive sync");  // a second sync or a serve exits 4
    Archive archive(settings.databasePath());
    GraphClient client(api, limiter);
    SyncRunner runner(archive, client, sync);
    const auto results = runSyncWithReport(runner, ctx.out, ctx.err);
    const bool anyFailed = std::any_of(results.begin(), results.end(), [](const auto& r) { return !r.ok; });
    return anyFailed ? ExitPartialFailure : ExitOk;
}

}  // namespace okarchive
