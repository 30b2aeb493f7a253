#include <fmt/format.h>

#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "domain/Errors.h"

namespace okarchive {

int runExport(CommandContext& ctx) {
    if (ctx.format.empty()) throw UsageError("--format is required (ndjson)");
    if (ctx.format != "ndjson") throw UsageError(fmt::format("--format={}: unknown format (available: ndjson)", ctx.format));
    if (ctx.chats.size() != 1) throw UsageError("export needs exactly one --chat=chat:ID");
    requireChatId(ctx.chats.front(), "--chat");
    if (ctx.output.empty()) throw UsageError("--output=PATH is required (- for standard output)");

    Settings settings(ctx.config);
    const auto path = settings.databasePath();
    auto archive = openExistingArchive(path);
    requireArchivedChat(*archive, ctx.chats.front(), path);
    const auto count = exportNdjson(*archive, ctx.chats.front(), ctx.output);
    if (ctx.output != "-") ctx.err << fmt::format("exported {} messages of {} to {}\n", count, ctx.chats.front(), ctx.output);
    return ExitOk;
}

}  // namespace okarchive
