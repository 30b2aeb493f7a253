#include <fmt/format.h>

#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "domain/InertText.h"
#include "domain/CoverageSet.h"
#include "domain/TimeFormat.h"

namespace okarchive {
namespace {

std::string timeOrDash(const std::optional<std::int64_t>& ms) { return ms ? formatIsoUtc(*ms) : "-"; }

int runStatus(CommandContext& ctx) {
    Settings settings(ctx.config);
    const auto path = settings.databasePath();
    auto archive = openExistingArchive(path, ArchiveMode::ReadOnly);
    const auto chats = archive->chatStatuses();
    ctx.out << fmt::format("archive {}: {} chats\n", path, chats.size());
    for (const auto& c : chats) {
        ctx.out << fmt::format("\n{}{}\n", inertText(c.chatId),
                               c.info && !c.info->title.empty() ? "  \"" + inertText(c.info->title) + "\"" : "");
        if (!c.archived)
            ctx.out << (c.lastRun ? "  never archived: no sync of it succeeded (a mistyped --chat?)\n"
                                  : "  never archived: not synced yet\n");
        ctx.out << fmt::format("  messages   {}\n  oldest     {}\n  newest     {}\n", c.messages,
                               timeOrDash(c.oldestTimestamp), timeOrDash(c.newestTimestamp));
        if (c.lastRun)
            ctx.out << fmt::format("  last sync  {} {}{}\n", formatIsoUtc(c.lastRun->finishedAtMs), c.lastRun->result,
                                   c.lastRun->error.empty() ? "" : ": " + inertText(c.lastRun->error));
        else
            ctx.out << "  last sync  never\n";
        // Open gaps: history below the newest archived message that no run has proven complete yet.
        const auto gaps =
            c.newestTimestamp ? CoverageSet(c.coverage).gaps({0, *c.newestTimestamp}) : std::vector<TimeRange>{};
        if (gaps.empty()) ctx.out << "  gaps       none\n";
        for (const auto& g : gaps)
            ctx.out << fmt::format("  gap        {} .. {} not yet archived\n",
                                   g.lo == 0 ? "beginning" : formatIsoUtc(g.lo), formatIsoUtc(g.hi));
        for (const auto& w : c.warnings) ctx.out << fmt::format("  warning    {}\n", inertText(w.detail));
    }
    return ExitOk;
}

}  // namespace

const CommandSpec& statusCommand() {
    static const CommandSpec spec{
        "status", "", "show per archived chat: messages, range, last sync, gaps, warnings", {}, runStatus};
    return spec;
}

}  // namespace okarchive
