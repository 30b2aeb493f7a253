#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

#include <fmt/format.h>

#include "app/ArchiveAccess.h"
#include "app/ChatOutputs.h"
#include "app/Commands.h"
#include "app/ExportCommand.h"
#include "app/Settings.h"
#include "app/StopSignals.h"
#include "app/TerminalProgress.h"
#include "app/TimeArgument.h"
#include "domain/Errors.h"
#include "domain/InertText.h"
#include "domain/Locale.h"
#include "domain/TextFold.h"
#include "domain/JsonWriter.h"
#include "exporters/AtomicOutputFile.h"
#include "exporters/ExportFormats.h"
#include "exporters/ExportMedia.h"

namespace okarchive {
namespace {

/// The filter as JSON, for the JSON format's "filter" member.
std::string filterJson(const MessageQuery& q) {
    std::string out;
    JsonWriter json(out);
    auto list = [&](const char* name, const std::vector<std::string>& items) {
        json.key(name).beginArray();
        for (const auto& item : items) json.value(item);
        json.endArray();
    };
    auto optionalInt = [&](const char* name, const std::optional<std::int64_t>& v) {
        if (v)
            json.key(name).value(*v);
        else
            json.key(name).null();
    };
    json.beginObject();
    optionalInt("since", q.since);
    optionalInt("until", q.until);
    list("sender", q.senders);
    json.key("kind");
    if (q.kind)
        json.value(*q.kind == MessageKind::Service ? "service" : "message");
    else
        json.null();
    list("has", q.attachmentTypes);
    json.key("contains").value(q.contains).key("no_digests").value(q.excludeDigests);
    const auto optionalBool = [&](const char* name, const std::optional<bool>& v) {
        if (v)
            json.key(name).value(*v);
        else
            json.key(name).null();
    };
    optionalBool("edited", q.edited);
    optionalBool("deleted", q.deleted);
    json.endObject();
    return out;
}

/// The request's format and presentation options (--format, --partition, --timezone, and the format's own options
/// such as CSV's --excel and --raw-csv, which the format validates).
ExportRequest requestFrom(const CommandOptions& o) {
    if (o.value("format").empty()) throw UsageError(fmt::format("--format is required ({})", exportFormatNames()));
    ExportRequest request;
    const ExportFormat& format = exportFormat(o.value("format"));
    request.format = format.name();
    if (o.values("chat").empty()) throw UsageError("export needs --chat=chat:ID (repeatable) or --chat=all");
    if (o.value("output").empty()) throw UsageError("--output=PATH is required (- for standard output)");
    if (o.has("partition")) request.partition = PartitionPolicy::parse(o.value("partition"));
    if (!o.value("timezone").empty()) request.timeZone = TimeZone::load(o.value("timezone"));
    if (o.has("locale")) request.locale = parseLocale(o.value("locale"), "--locale");
    for (const auto& entry : exportFormatOptions())
        if (o.has(entry.option.name)) request.formatOptions[entry.option.name] = o.value(entry.option.name);
    format.validate(request.formatOptions);  // the format judges its own options
    return request;
}

/// The --has types; a human name as the exports show it (photo, Фото) also selects its type (IMAGE).
std::vector<std::string> attachmentTypesFrom(const CommandOptions& o) {
    std::vector<std::string> types;
    for (const auto& type : o.values("has")) {
        if (type.empty()) throw UsageError("--has= needs an attachment type (IMAGE, LOCATION..., or a name: photo)");
        types.push_back(type);
        if (const auto named = attachmentTypeNamed(type); named && !equalsIgnoringAsciiCase(*named, type))
            types.emplace_back(*named);
    }
    return types;
}

/// The message filter (--since, --until in `zone`, --sender, --kind, --has, --contains, --no-digests, --edited,
/// --deleted, --exclude-deleted).
MessageQuery filterFrom(const CommandOptions& o, const TimeZone& zone) {
    MessageQuery filter;
    const auto since = o.value("since"), until = o.value("until"), kind = o.value("kind");
    if (!since.empty()) filter.since = parseTimeArgument(since, zone, "--since");
    if (!until.empty()) filter.until = parseTimeArgument(until, zone, "--until");
    if (filter.since && filter.until && *filter.since >= *filter.until)
        throw UsageError(fmt::format("--since={} is not before --until={}", since, until));
    for (const auto& sender : o.values("sender")) {
        if (sender.rfind("user:", 0) != 0 || sender.size() == 5)
            throw UsageError(fmt::format("--sender='{}': expected user:ID", sender));
        filter.senders.push_back(sender);
    }
    if (kind == "message")
        filter.kind = MessageKind::Message;
    else if (kind == "service")
        filter.kind = MessageKind::Service;
    else if (!kind.empty())
        throw UsageError(fmt::format("--kind='{}': expected message or service", kind));
    filter.attachmentTypes = attachmentTypesFrom(o);
    if (o.has("contains")) filter.contains = o.value("contains");
    filter.excludeDigests = o.has("no-digests");
    if (o.has("edited")) filter.edited = true;
    if (o.has("deleted") && o.has("exclude-deleted"))
        throw UsageError("--deleted and --exclude-deleted exclude each other: give one of them");
    if (o.has("deleted")) filter.deleted = true;
    if (o.has("exclude-deleted")) filter.deleted = false;
    return filter;
}

/// What the export of one chat says on standard error: where its messages (and media files) went.
std::string exportedLine(const ExportSummary& summary, const std::string& chat) {
    const std::string media = summary.mediaFolder.empty()
                                  ? ""
                                  : fmt::format(", {} media files in {}", summary.mediaFiles, summary.mediaFolder);
    if (summary.index.empty())
        return fmt::format("exported {} messages of {} to {}{}\n", summary.messages, chat, summary.files.front(),
                           media);
    return fmt::format("exported {} messages of {} to {} (the index of {} parts in {}){}\n", summary.messages, chat,
                       summary.index, summary.files.size(),
                       std::filesystem::path(summary.files.front()).parent_path().string(), media);
}

/// Whether the media store holds any saved file (sha256/ is not empty).
bool holdsSavedMedia(const std::string& directory) {
    std::error_code ec;
    const std::filesystem::directory_iterator files(std::filesystem::path(directory) / "sha256", ec);
    return !ec && files != std::filesystem::directory_iterator();
}

/// --media, or by default copy for HTML to a file when the media store holds saved files, else link.
ExportMediaOptions mediaOptionsFrom(const CommandOptions& o, const ExportRequest& request, const std::string& output,
                                    std::string directory) {
    ExportMediaOptions media;
    media.directory = std::move(directory);
    if (o.has("media"))
        media.mode = parseMediaExportMode(o.value("media"));
    else if (request.format == "html" && output != "-" && !isSpecialFile(output) && holdsSavedMedia(media.directory))
        media.mode = MediaExportMode::Copy;
    return media;
}

/// --list-formats: each registered format's name and extension, tab-separated, one a line (for scripts and tests).
int listFormats(CommandContext& ctx) {
    for (const ExportFormat* format : exportFormats()) ctx.out << format->name() << '\t' << format->extension() << '\n';
    return ExitOk;
}

int runExportCommand(CommandContext& ctx) {
    if (ctx.options.has("list-formats")) return listFormats(ctx);
    StopSignals signals(
        StopSignals::Options{.hangupStops = true, .onStop = {}});  // a stop removes the unfinished files
    auto request = requestFrom(ctx.options);
    const auto filter = filterFrom(ctx.options, request.timeZone);
    request.filterJson = filterJson(filter);
    const auto output = ctx.options.value("output");

    Settings settings(ctx.config);
    if (!ctx.options.has("locale")) request.locale = settings.locale();
    const auto path = settings.databasePath();
    auto protectedPaths = protectedOutputPaths(ctx, path);
    request.media = mediaOptionsFrom(ctx.options, request, output, settings.media().directory);
    protectedPaths.addDirectory(request.media.directory, "the media store (media.directory)");
    auto archive = openExistingArchive(path, ArchiveMode::ReadOnly);
    const auto chats = resolveArchivedChats(*archive, ctx.options.values("chat"), path, ctx.err);
    requireOutputPerChat(output, chats.size());
    const bool perChat = outputPerChat(ctx.options.values("chat"), output);
    for (const auto& chat : chats) protectedPaths.check(outputForChat(output, chat, perChat));
    request.protectedPaths = &protectedPaths;
    request.cancellation = &signals.cancellation();

    TerminalProgress progress(ctx.err, STDERR_FILENO, Env::system());
    for (const auto& chat : chats) {
        auto chatFilter = filter;
        chatFilter.chatId = chat;
        auto chatRequest = request;
        chatRequest.outputPath = outputForChat(output, chat, perChat);
        chatRequest.progress = [&](std::uint64_t written) {
            progress.update(fmt::format("exporting {}: {} messages", inertText(chat), written));
        };
        const int stopped = writeUnlessStopped(signals, ctx.err, "export", [&] {
            const auto summary = exportFromArchive(*archive, chatFilter, chatRequest, Env::system());
            progress.clear();
            if (output != "-") ctx.err << exportedLine(summary, inertText(chat));
        });
        progress.clear();  // also when it ended early (a closed standard output)
        if (stopped) return stopped;
    }
    return ExitOk;
}

std::vector<OptionSpec> exportOptions() {
    auto options = std::vector<OptionSpec>{
        {"format", "", "FORMAT", false, exportFormatNames() + " (required)"},
        {"chat", "", "chat:ID|all", true, "a chat to export, or all archived chats; repeatable (required)"},
        outputOption(),
    };
    for (auto& o : timeRangeOptions("--timezone")) options.push_back(std::move(o));
    options.insert(
        options.end(),
        {
            {"sender", "", "user:ID", true, "only messages of this sender; repeatable"},
            {"kind", "", "KIND", false, "only message or service messages"},
            {"has", "", "TYPE", true,
             "only messages with an attachment of TYPE (IMAGE, LOCATION..., any case) or named as exports show it "
             "(photo); repeatable"},
            {"contains", "", "TEXT", false, "only texts containing TEXT, ignoring case"},
            {"no-digests", "", "", false, "leave out the digests okarchive itself posted"},
            {"edited", "", "", false, "only messages the archive saw edited (with their earlier versions)"},
            {"deleted", "", "", false, "only messages the archive saw deleted (kept, marked with the time seen)"},
            {"exclude-deleted", "", "", false, "leave out the messages the archive saw deleted"},
            {"partition", "", "N|SIZE", false,
             "N messages or a size (20mb) per part, PATH their index; none or 0: one file"},
            timezoneOption(),
            {"media", "", "copy|link|none", false,
             "downloaded media: copy the saved files beside the output (STEM_media/) and show them, link the remote "
             "files, or none (cards only); default: copy for html when media were saved, else link"},
            {"list-formats", "", "", false, "print each format's name and file extension (tab-separated) and exit"},
            {"locale", "", "en|ru", false,
             "the language of an HTML or txt export: words, dates, numbers (default: setting export.locale, then en)"},
        });
    return withFormatOptions(std::move(options), exportFormatOptions());
}

}  // namespace

std::vector<OptionSpec> withFormatOptions(std::vector<OptionSpec> general,
                                          const std::vector<FormatOptionEntry>& formatOptions) {
    const auto generalCount = static_cast<std::ptrdiff_t>(general.size());
    for (const auto& [format, option] : formatOptions) {
        const auto same = [&](const OptionSpec& o) { return o.name == option.name; };
        if (std::any_of(general.begin(), general.begin() + generalCount, same))
            throw std::logic_error("the " + format + " format's option --" + option.name +
                                   " has the name of a general option of export");
        const auto declared = std::find_if(general.begin() + generalCount, general.end(), same);
        if (declared == general.end())
            general.push_back({option.name, "", option.argument, false, "(" + format + ") " + option.help});
        else  // declared by several formats: once, naming them all, "(ndjson, json) ..."
            declared->help.insert(declared->help.find(')'), ", " + format);
    }
    return general;
}

const CommandSpec& exportCommand() {
    static const CommandSpec spec{"export",
                                  "--format=FORMAT --chat=chat:ID|all --output=PATH [filters] [--partition=N|SIZE] "
                                  "[--timezone=Area/City] [--locale=en|ru] [--media=copy|link|none]",
                                  "stream archived messages into files, atomically (- = standard output)",
                                  exportOptions(), runExportCommand};
    return spec;
}

}  // namespace okarchive
