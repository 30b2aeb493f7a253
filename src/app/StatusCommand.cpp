#include <algorithm>

#include <fmt/format.h>

#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/MediaSummary.h"
#include "app/RecheckSummary.h"
#include "app/Settings.h"
#include "domain/CoverageSet.h"
#include "domain/Errors.h"
#include "domain/InertText.h"
#include "domain/TimeFormat.h"

namespace okarchive {
namespace {

std::string timeOrDash(const std::optional<std::int64_t>& ms) { return ms ? formatIsoUtc(*ms) : "-"; }

bool lastSyncFailed(const ChatStatus& c) { return c.lastRun && c.lastRun->result != "ok"; }

/// The chats `--chat` selects (every chat without it, or with `all`); a chat the archive does not know is an error.
std::vector<ChatStatus> selectChats(std::vector<ChatStatus> chats, const std::vector<std::string>& requested,
                                    const std::string& path) {
    if (requested.empty() || (requested.size() == 1 && requested.front() == "all")) return chats;
    for (const auto& id : requested) {
        requireChatId(id, "--chat");
        const bool known = std::any_of(chats.begin(), chats.end(), [&](const ChatStatus& c) { return c.chatId == id; });
        if (!known) throw Error(fmt::format("{} is not in the archive {}: see okarchive status", inertText(id), path));
    }
    std::erase_if(chats, [&](const ChatStatus& c) {
        return std::find(requested.begin(), requested.end(), c.chatId) == requested.end();
    });
    return chats;
}

/// Open gaps: history below the newest archived message that no run has proven complete yet. A chat no sync of
/// which ever succeeded has no complete history to speak of: it says so instead of "gaps none".
void printGaps(std::ostream& out, const ChatStatus& c) {
    if (!c.syncedOk) out << "  gaps       unknown until a sync of it succeeds\n";
    const auto gaps =
        c.newestTimestamp ? CoverageSet(c.coverage).gaps({0, *c.newestTimestamp}) : std::vector<TimeRange>{};
    if (gaps.empty() && c.syncedOk) out << "  gaps       none\n";
    for (const auto& g : gaps)
        out << fmt::format("  gap        {} .. {} not yet archived\n", g.lo == 0 ? "beginning" : formatIsoUtc(g.lo),
                           formatIsoUtc(g.hi));
}

void printChat(std::ostream& out, const ChatStatus& c, const MediaTallies& media) {
    out << fmt::format("\n{}{}\n", inertText(c.chatId),
                       c.info && !c.info->title.empty() ? "  \"" + inertText(c.info->title) + "\"" : "");
    if (!c.lastRun)
        out << "  never archived: not synced yet\n";
    else if (!c.syncedOk)
        out << (c.archived ? "  never synced successfully (only failed syncs so far; what they archived is kept)\n"
                           : "  never synced successfully: never archived (a mistyped --chat?)\n");
    out << fmt::format("  messages   {}\n  oldest     {}\n  newest     {}\n", c.messages, timeOrDash(c.oldestTimestamp),
                       timeOrDash(c.newestTimestamp));
    if (c.lastRun)
        out << fmt::format("  last sync  {} {}{}\n", formatIsoUtc(c.lastRun->finishedAtMs), c.lastRun->result,
                           c.lastRun->error.empty() ? "" : ": " + inertText(c.lastRun->error));
    else
        out << "  last sync  never\n";
    out << recheckLines(c);
    const auto tally = media.byChat.find(c.chatId);
    out << fmt::format("  media      {}\n", mediaSentence(tally == media.byChat.end() ? MediaTally{} : tally->second));
    printGaps(out, c);
    for (const auto& w : c.warnings) out << fmt::format("  warning    {}\n", inertText(w.detail));
}

int runStatus(CommandContext& ctx) {
    Settings settings(ctx.config);
    const auto path = settings.databasePath();
    auto archive = openExistingArchive(path, ArchiveMode::ReadOnly);
    const auto chats = selectChats(archive->chatStatuses(), ctx.options.values("chat"), path);
    auto counts = archive->mediaCounts(std::nullopt);
    std::erase_if(counts, [&](const MediaCount& m) {
        return std::none_of(chats.begin(), chats.end(), [&](const ChatStatus& c) { return c.chatId == m.chatId; });
    });
    const auto media = tallyMedia(counts);
    ctx.out << fmt::format("archive {}: {} chats\nmedia      {}\n", path, chats.size(), mediaSentence(media.total));
    int failed = 0;
    for (const auto& c : chats) {
        printChat(ctx.out, c, media);
        failed += lastSyncFailed(c);
    }
    if (failed == 0) return ExitOk;
    for (const auto& c : chats)
        if (lastSyncFailed(c))
            ctx.err << fmt::format("okarchive status: the last sync of {} failed\n", inertText(c.chatId));
    return ExitPartialFailure;
}

std::vector<OptionSpec> statusOptions() {
    return {{"chat", "", "chat:ID|all", true, "a chat to show, or all (the default); repeatable"}};
}

}  // namespace

const CommandSpec& statusCommand() {
    static const CommandSpec spec{
        "status", "[--chat=chat:ID|all]...",
        "show per archived chat: messages, range, last sync, edits and deletions, re-check, media, gaps, "
        "warnings; exit status 1 "
        "when the last sync of a chat shown failed",
        statusOptions(), runStatus};
    return spec;
}

}  // namespace okarchive
