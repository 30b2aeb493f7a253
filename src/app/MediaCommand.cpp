#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>

#include "api/GraphClient.h"
#include "api/HistorySource.h"
#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/MediaRoom.h"
#include "app/MediaSummary.h"
#include "app/MediaVerify.h"
#include "app/Settings.h"
#include "app/StopSignals.h"
#include "app/TerminalProgress.h"
#include "domain/Errors.h"
#include "domain/InertText.h"
#include "domain/JsonWriter.h"
#include "store/ArchiveLock.h"
#include "sync/ChatMedia.h"

namespace okarchive {
namespace {

/// What every subcommand works on: the archive (read-only unless it downloads) and the chats asked for.
struct MediaRun {
    CommandContext& ctx;
    const SubcommandSpec& subcommand;
    std::string path;
    std::unique_ptr<Archive> archive;
    std::vector<std::string> chats;  ///< by id
    bool everyChat = true;           ///< no --chat, or --chat=all

    bool selects(const std::string& chatId) const {
        return everyChat || std::find(chats.begin(), chats.end(), chatId) != chats.end();
    }
    std::optional<std::string> oneChat() const {
        return chats.size() == 1 && !everyChat ? std::optional(chats.front()) : std::nullopt;
    }
};

/// The chats `--chat` names (each a chat id the archive holds), or every archived chat without it or with `all`.
void selectChats(MediaRun& run) {
    const auto requested = run.ctx.options.values("chat");
    run.everyChat = requested.empty() || (requested.size() == 1 && requested.front() == "all");
    if (run.everyChat) {
        run.chats = run.archive->archivedChatIds();
        return;
    }
    for (const auto& chat : requested) {
        requireChatId(chat, "--chat");
        requireArchivedChat(*run.archive, chat, run.path);
        if (std::find(run.chats.begin(), run.chats.end(), chat) == run.chats.end()) run.chats.push_back(chat);
    }
}

/// The subcommand the first argument names; its options are the only ones given (else UsageError, exit 2).
const SubcommandSpec& chosenSubcommand(const CommandContext& ctx, const CommandSpec& spec) {
    std::string names;
    for (const auto& s : spec.subcommands) names += (names.empty() ? "" : ", ") + s.name;
    if (ctx.arguments.empty()) throw UsageError(fmt::format("media needs what to do: {}", names));
    if (ctx.arguments.size() > 1)
        throw UsageError(fmt::format("unexpected argument '{}' after media {}", inertText(ctx.arguments[1], 80),
                                     inertText(ctx.arguments[0], 80)));
    const auto* chosen = spec.subcommand(ctx.arguments.front());
    if (!chosen)
        throw UsageError(fmt::format("unknown media subcommand '{}' ({})", inertText(ctx.arguments[0], 80), names));
    for (const auto& [option, value] : ctx.options.given()) {
        if (chosen->accepts(option)) continue;
        std::string others;
        for (const auto& s : spec.subcommands)
            if (s.accepts(option)) others += (others.empty() ? "media " : ", media ") + s.name;
        throw UsageError(fmt::format("option --{} is not an option of 'media {}'; it applies to {} only", option,
                                     chosen->name, others));
    }
    return *chosen;
}

// ---- media status ----------------------------------------------------------------------------------------------

void writeTallyJson(JsonWriter& json, const MediaTally& tally) {
    json.beginObject().key("files").value(tally.total()).key("saved").value(tally.filesIn(MediaState::Saved));
    json.key("missing").value(tally.missing()).key("saved_bytes").value(tally.bytesIn(MediaState::Saved));
    json.key("states").beginObject();
    for (const auto state : kAllMediaStates)
        json.key(mediaStateName(state))
            .beginObject()
            .key("files")
            .value(tally.filesIn(state))
            .key("bytes")
            .value(tally.bytesIn(state))
            .endObject();
    json.endObject().endObject();
}

void writeTypesJson(JsonWriter& json, const std::map<std::string, MediaTally>& byType) {
    json.key("types").beginObject();
    for (const auto& [type, tally] : byType) {
        json.key(type);
        writeTallyJson(json, tally);
    }
    json.endObject();
}

void printStatusJson(MediaRun& run, const MediaTallies& tallies) {
    std::string text;
    JsonWriter json(text);
    json.beginObject().key("archive").value(run.path).key("chats").beginArray();
    static const std::map<std::string, MediaTally> kNone;
    for (const auto& chat : run.chats) {
        const auto info = run.archive->chatInfo(chat);
        json.beginObject().key("chat").value(chat).key("title").value(
            info && !info->title.empty() ? std::optional(info->title) : std::nullopt);
        json.key("media");
        const auto byChat = tallies.byChat.find(chat);
        writeTallyJson(json, byChat == tallies.byChat.end() ? MediaTally{} : byChat->second);
        const auto byType = tallies.byChatType.find(chat);
        writeTypesJson(json, byType == tallies.byChatType.end() ? kNone : byType->second);
        json.endObject();
    }
    json.endArray().key("total");
    writeTallyJson(json, tallies.total);
    writeTypesJson(json, tallies.byType);
    json.endObject();
    run.ctx.out << text << "\n";
}

void printTypeLines(std::ostream& out, const std::map<std::string, MediaTally>& byType) {
    for (const auto& [type, tally] : byType)
        out << fmt::format("  {:<8} {}\n", inertText(type, 40), mediaSentence(tally));
}

void printStatusText(MediaRun& run, const MediaTallies& tallies) {
    auto& out = run.ctx.out;
    out << fmt::format("archive {}: {} chat{}\n", run.path, run.chats.size(), run.chats.size() == 1 ? "" : "s");
    out << fmt::format("media      {}\n", mediaSentence(tallies.total));
    if (run.chats.size() > 1) printTypeLines(out, tallies.byType);
    for (const auto& chat : run.chats) {
        const auto info = run.archive->chatInfo(chat);
        out << fmt::format("\n{}{}\n", inertText(chat),
                           info && !info->title.empty() ? "  \"" + inertText(info->title) + "\"" : "");
        const auto byChat = tallies.byChat.find(chat);
        out << fmt::format("  media    {}\n",
                           mediaSentence(byChat == tallies.byChat.end() ? MediaTally{} : byChat->second));
        if (const auto byType = tallies.byChatType.find(chat); byType != tallies.byChatType.end())
            printTypeLines(out, byType->second);
    }
}

int runMediaStatus(MediaRun& run) {
    auto counts = run.archive->mediaCounts(run.oneChat());
    std::erase_if(counts, [&](const MediaCount& c) { return !run.selects(c.chatId); });
    const auto tallies = tallyMedia(counts);
    if (run.ctx.options.has("json"))
        printStatusJson(run, tallies);
    else
        printStatusText(run, tallies);
    return ExitOk;
}

// ---- media verify ----------------------------------------------------------------------------------------------

/// --sample=PERCENT ("10" or "10%", more than 0 and at most 100); 100 without it.
double samplePercent(const CommandOptions& options) {
    if (!options.has("sample")) return 100;
    auto text = options.value("sample");
    if (!text.empty() && text.back() == '%') text.pop_back();
    double percent = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), percent);
    if (error != std::errc() || end != text.data() + text.size() || !(percent > 0 && percent <= 100))
        throw UsageError(fmt::format("--sample={}: expected a percentage above 0 and at most 100 (e.g. 10 or 2.5%)",
                                     inertText(options.value("sample"), 40)));
    return percent;
}

/// --seed=N, or a random one (reported, so the same pick can be checked again).
std::uint64_t sampleSeed(const CommandOptions& options) {
    if (!options.has("seed")) return std::random_device{}();
    const auto text = options.value("seed");
    std::uint64_t seed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        throw UsageError(
            fmt::format("--seed={}: expected a whole number (as media verify printed it)", inertText(text, 40)));
    return seed;
}

std::string problemLine(const MediaProblem& p) {
    return fmt::format("{}{}{}: {}\n", p.entry, p.entry.empty() || p.path.empty() ? "" : ": ", p.path, p.what);
}

void printVerifySummary(MediaRun& run, const std::string& directory, const MediaVerifyResult& r,
                        const MediaVerifyOptions& options) {
    auto& out = run.ctx.out;
    out << fmt::format("media {}: {} saved entr{} naming {} file{}, each present at its size; {} re-hashed ({})",
                       directory, r.entries, r.entries == 1 ? "y" : "ies", r.files, r.files == 1 ? "" : "s", r.rehashed,
                       formatByteSize(r.rehashedBytes));
    if (options.percent < 100)
        out << fmt::format(": a {}% sample, seed {} (--sample={} --seed={} checks the same files)", options.percent,
                           options.seed, options.percent, options.seed);
    out << "\n";
    if (r.unlisted > 0)
        out << fmt::format(
            "{} file{} under sha256/ no saved entry names (kept: an earlier version's media, or a download an "
            "interrupted run did not record)\n",
            r.unlisted, r.unlisted == 1 ? "" : "s");
    if (r.temporaries > 0)
        out << fmt::format("{} temporary file{} of interrupted downloads (the next sync removes them)\n", r.temporaries,
                           r.temporaries == 1 ? "" : "s");
    out << (r.problems.empty() ? std::string("healthy\n")
                               : fmt::format("{} problem{}\n", r.problems.size(), r.problems.size() == 1 ? "" : "s"));
}

int runMediaVerify(MediaRun& run) {
    const MediaVerifyOptions options{samplePercent(run.ctx.options), sampleSeed(run.ctx.options), run.everyChat};
    const auto directory = Settings(run.ctx.config).media().directory;
    auto saved = run.archive->mediaItems(run.oneChat(), MediaState::Saved);
    std::erase_if(saved, [&](const MediaItem& item) { return !run.selects(item.chatId); });
    TerminalProgress progress(run.ctx.err, STDERR_FILENO, Env::system());
    const auto result =
        verifyMedia(saved, directory, options, [&](const MediaVerifyResult& r, std::int64_t done, std::int64_t all) {
            progress.update(
                fmt::format("media verify: {} of {} files, {} re-hashed", done, all, formatByteSize(r.rehashedBytes)));
        });
    progress.clear();
    for (const auto& p : result.problems) run.ctx.out << problemLine(p);
    printVerifySummary(run, directory, result, options);
    if (result.problems.empty()) return ExitOk;
    run.ctx.err << fmt::format("okarchive media verify: media {}: {} problem{}\n", directory, result.problems.size(),
                               result.problems.size() == 1 ? "" : "s");
    return ExitPartialFailure;
}

// ---- media retry -----------------------------------------------------------------------------------------------

std::string itemLine(const MediaItem& item) {
    std::string line = fmt::format("{} {} position {} {} {}", inertText(item.chatId), inertText(item.mid, 80),
                                   item.position, inertText(item.type, 40), mediaStateName(item.media.state));
    if (item.attempts > 0) line += fmt::format(" after {} attempt{}", item.attempts, item.attempts == 1 ? "" : "s");
    if (!item.media.reason.empty()) line += ": " + inertText(item.media.reason, 200);
    line += item.media.bytes ? ", " + formatByteSize(*item.media.bytes) : ", size unknown";
    return line + "\n";
}

/// "3 pending, 9 failed_transient": how many of `items` are in each state, in ledger order.
std::string stateList(const std::vector<MediaItem>& items) {
    MediaTally tally;
    for (const auto& item : items) tally.add({item.chatId, item.type, item.media.state, 1, 0});
    std::string list;
    for (const auto state : kAllMediaStates)
        if (tally.filesIn(state) != 0)
            list += fmt::format("{}{} {}", list.empty() ? "" : ", ", tally.filesIn(state), mediaStateName(state));
    return list.empty() ? "nothing" : list;
}

/// What sync would fetch of the chats asked for: the ledger's own pick (mediaToFetch), newest message first.
std::vector<MediaItem> toFetch(MediaRun& run, int maxAttempts) {
    std::vector<MediaItem> items;
    for (const auto& chat : run.chats) {
        auto chatItems = run.archive->mediaToFetch(chat, std::numeric_limits<std::int32_t>::max(), maxAttempts);
        std::move(chatItems.begin(), chatItems.end(), std::back_inserter(items));
    }
    return items;
}

/// The chats' entries no retry fetches: failed for good, expired, or out of attempts (media.max_attempts).
std::string leftOut(MediaRun& run, const std::vector<MediaItem>& chosen) {
    MediaTally all;
    for (const auto& count : run.archive->mediaCounts(run.oneChat()))
        if (run.selects(count.chatId)) all.add(count);
    MediaTally picked;
    for (const auto& item : chosen) picked.add({item.chatId, item.type, item.media.state, 1, 0});
    std::string list;
    for (const auto state : {MediaState::FailedTransient, MediaState::FailedPermanent, MediaState::Expired})
        if (const auto n = all.filesIn(state) - picked.filesIn(state); n > 0)
            list += fmt::format("{}{} {}", list.empty() ? "" : ", ", n, mediaStateName(state));
    return list;
}

void printRetryPlan(MediaRun& run, const std::vector<MediaItem>& chosen, const MediaConfig& config) {
    std::int64_t knownBytes = 0, known = 0;
    std::set<std::string> chats;
    for (const auto& item : chosen) {
        run.ctx.out << itemLine(item);
        chats.insert(item.chatId);
        if (item.media.bytes) knownBytes += *item.media.bytes, ++known;
    }
    run.ctx.out << fmt::format("would fetch {} file{} of {} chat{} ({}); size known for {}: {}\n", chosen.size(),
                               chosen.size() == 1 ? "" : "s", chats.size(), chats.size() == 1 ? "" : "s",
                               stateList(chosen), known, formatByteSize(knownBytes));
    if (const auto rest = leftOut(run, chosen); !rest.empty())
        run.ctx.out << fmt::format(
            "not fetched again: {} (failed for good, expired, or tried media.max_attempts = {} times)\n", rest,
            config.maxAttempts);
}

/// Downloads what waits in the chats of `chosen`, each as sync's media step would (refused signed links refreshed
/// through the API); prints one line per chat. Exit 0 also when media failed: the line and `media status` say so.
int downloadRetries(MediaRun& run, const std::vector<MediaItem>& chosen, const MediaConfig& config) {
    if (!config.download) throw UsageError("media retry: media.download = none, so nothing is downloaded");
    const Settings settings(run.ctx.config);
    StopSignals signals;         // before any thread starts
    ArchiveLock lock(run.path);  // a sync or serve writing the same ledger exits 4
    const auto ledger = openArchive(run.path);
    MediaRoom media(config, Env::system());
    GraphClient client(settings.api(), std::make_shared<RateLimiter>(settings.requestsPerSecond()), Env::system(),
                       signals.cancellation());
    GraphHistorySource history(client);
    const MediaPlan plan{config, media.access()};
    std::set<std::string> chats;
    for (const auto& item : chosen) chats.insert(item.chatId);
    for (const auto& chat : chats) {
        const auto counts = downloadChatMedia(*ledger, history, chat, plan, signals.cancellation(), Env::system());
        run.ctx.out << fmt::format("{}  media retried{}\n", chat, describeMedia(counts));
    }
    if (chats.empty()) run.ctx.out << "nothing to fetch: every entry is saved, skipped, or out of attempts\n";
    return ExitOk;
}

int runMediaRetry(MediaRun& run) {
    const auto config = Settings(run.ctx.config).media();
    const auto chosen = toFetch(run, config.maxAttempts);
    if (!run.ctx.options.has("dry-run")) return downloadRetries(run, chosen, config);
    printRetryPlan(run, chosen, config);
    return ExitOk;
}

// ---- the command -----------------------------------------------------------------------------------------------

int runMedia(CommandContext& ctx) {
    const auto& subcommand = chosenSubcommand(ctx, mediaCommand());
    static const std::map<std::string, std::function<int(MediaRun&)>> kRunners{
        {"status", runMediaStatus}, {"verify", runMediaVerify}, {"retry", runMediaRetry}};
    MediaRun run{ctx, subcommand, Settings(ctx.config).databasePath(), nullptr, {}, true};
    run.archive = openExistingArchive(run.path, ArchiveMode::ReadOnly);
    selectChats(run);
    return kRunners.at(subcommand.name)(run);
}

std::vector<OptionSpec> mediaOptions() {
    return {
        {"chat", "", "chat:ID|all", true, "a chat, or all (the default); repeatable"},
        {"json", "", "", false,
         "(status) print {\"archive\", \"chats\": [{chat, title, media, types}], \"total\", \"types\"}: per group "
         "files, saved, missing, saved_bytes and states: {STATE: {files, bytes}} for every state"},
        {"sample", "", "PERCENT", false,
         "(verify) re-hash this share of the files, picked at random (the seed is printed); presence and size of "
         "every file are checked regardless"},
        {"seed", "", "N", false, "(verify) the seed of the --sample pick, to check the same files again"},
        {"dry-run", "", "", false, "(retry) list what would be fetched and how many of its bytes are known"},
    };
}

std::vector<SubcommandSpec> mediaSubcommands() {
    return {
        {"status",
         "[--chat=chat:ID|all]... [--json]",
         "counts of attachments with media by state and type, and their bytes, per chat and in total",
         {"chat", "json"}},
        {"verify",
         "[--chat=chat:ID|all]... [--sample=PERCENT] [--seed=N]",
         "re-hash the saved files against the ledger; exit status 1 naming every missing, changed or misnamed file",
         {"chat", "sample", "seed"}},
        {"retry",
         "[--chat=chat:ID|all]... [--dry-run]",
         "download what sync would: pending media, and failed_transient under media.max_attempts; --dry-run lists "
         "it with the bytes known",
         {"chat", "dry-run"}},
    };
}

}  // namespace

const CommandSpec& mediaCommand() {
    static const CommandSpec spec{"media",
                                  "status|verify|retry [OPTIONS]",
                                  "the attachments' media: what is saved and what is missing, by chat, type and state",
                                  mediaOptions(),
                                  runMedia,
                                  true,
                                  mediaSubcommands()};
    return spec;
}

}  // namespace okarchive
