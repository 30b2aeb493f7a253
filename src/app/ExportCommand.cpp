#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>

#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/Settings.h"
#include "app/TerminalProgress.h"
#include "app/TimeArgument.h"
#include "domain/Errors.h"
#include "domain/JsonWriter.h"

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
    json.key("contains").value(q.contains).key("no_digests").value(q.excludeDigests).endObject();
    return out;
}

/// With several chats, each gets its own file(s): STEM.<chat id>.EXT.
std::string outputFor(const std::string& output, const std::string& chatId, bool severalChats) {
    if (!severalChats) return output;
    const std::filesystem::path path(output);
    const auto id = chatId.substr(chatId.find(':') + 1);
    return (path.parent_path() / (path.stem().string() + "." + id + path.extension().string())).string();
}

}  // namespace

int runExport(CommandContext& ctx) {
    if (ctx.format.empty()) throw UsageError("--format is required (ndjson, json, csv or html)");
    ExportRequest request;
    request.format = parseExportFormat(ctx.format);
    if (ctx.chats.empty()) throw UsageError("export needs --chat=chat:ID (repeatable) or --chat=all");
    if (ctx.output.empty()) throw UsageError("--output=PATH is required (- for standard output)");
    if (!ctx.exportOptions.partition.empty()) request.partition = PartitionPolicy::parse(ctx.exportOptions.partition);
    if (!ctx.exportOptions.timezone.empty()) request.timeZone = TimeZone::load(ctx.exportOptions.timezone);
    request.excel = ctx.exportOptions.excel;
    request.rawCsv = ctx.exportOptions.rawCsv;
    if ((request.excel || request.rawCsv) && request.format != ExportFormat::Csv)
        throw UsageError("--excel and --raw-csv apply to --format=csv only");

    MessageQuery filter;
    const auto& o = ctx.exportOptions;
    if (!o.since.empty()) filter.since = parseTimeArgument(o.since, request.timeZone, "--since");
    if (!o.until.empty()) filter.until = parseTimeArgument(o.until, request.timeZone, "--until");
    if (filter.since && filter.until && *filter.since >= *filter.until)
        throw UsageError(fmt::format("--since={} is not before --until={}", o.since, o.until));
    for (const auto& sender : o.senders) {
        if (sender.rfind("user:", 0) != 0 || sender.size() == 5)
            throw UsageError(fmt::format("--sender='{}': expected user:ID", sender));
        filter.senders.push_back(sender);
    }
    if (o.kind == "message")
        filter.kind = MessageKind::Message;
    else if (o.kind == "service")
        filter.kind = MessageKind::Service;
    else if (!o.kind.empty())
        throw UsageError(fmt::format("--kind='{}': expected message or service", o.kind));
    filter.attachmentTypes = o.has;
    if (o.containsGiven) filter.contains = o.contains;
    filter.excludeDigests = o.noDigests;
    request.filterJson = filterJson(filter);

    Settings settings(ctx.config);
    const auto path = settings.databasePath();
    auto archive = openExistingArchive(path);
    const auto chats = resolveArchivedChats(*archive, ctx.chats, path);
    const bool several = chats.size() > 1;
    if (several && ctx.output == "-")
        throw UsageError("several chats cannot share standard output: give --output=PATH");

    TerminalProgress progress(ctx.err, STDERR_FILENO);
    for (const auto& chat : chats) {
        auto chatFilter = filter;
        chatFilter.chatId = chat;
        auto chatRequest = request;
        chatRequest.outputPath = outputFor(ctx.output, chat, several);
        chatRequest.progress = [&](std::uint64_t written) {
            progress.update(fmt::format("exporting {}: {} messages", chat, written));
        };
        const auto summary = exportFromArchive(*archive, chatFilter, chatRequest);
        progress.clear();
        if (ctx.output != "-")
            ctx.err << fmt::format("exported {} messages of {} to {}\n", summary.messages, chat,
                                   summary.files.size() == 1
                                       ? summary.files.front()
                                       : fmt::format("{} files ({} .. {})", summary.files.size(), summary.files.front(),
                                                     summary.files.back()));
    }
    return ExitOk;
}

}  // namespace okarchive
