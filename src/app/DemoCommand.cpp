#include <filesystem>
#include <ostream>

#include <fmt/format.h>

#include "api/GraphClient.h"
#include "app/ArchiveAccess.h"
#include "app/Commands.h"
#include "app/MediaRoom.h"
#include "app/SyncReport.h"
#include "exporters/ExportFormats.h"
#include "report/ReportWriter.h"
#include "sim/Simulator.h"
#include "stats/ChatStatistics.h"
#include "store/Archive.h"
#include "sync/SyncRunner.h"

namespace okarchive {
namespace {

/// A fresh archive under `dir` (the demo starts from nothing every time); returns its path.
std::string freshDemoArchive(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const auto database = (dir / "okarchive.db").string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(database + suffix);
    std::filesystem::remove_all(defaultMediaDirectory(database));  // the demo's own media store, made again below
    return database;
}

/// The chat in every export format: DIR/<chat id>.<extension>.
void exportDemoChat(Archive& archive, const std::filesystem::path& dir, const std::string& chatId,
                    const std::string& name, std::ostream& out) {
    for (const ExportFormat* format : exportFormats()) {
        ExportRequest request;
        request.format = format->name();
        request.outputPath = (dir / (name + "." + std::string(format->extension()))).string();
        if (format->hasOption("excel")) request.formatOptions["excel"] = "";  // the demo's files open in Excel
        // The HTML page shows the downloaded files from <stem>_media/ beside it; the others name their store paths.
        request.media = {request.format == "html" ? MediaExportMode::Copy : MediaExportMode::Link,
                         defaultMediaDirectory(archive.path())};
        const auto summary = exportFromArchive(archive, {chatId}, request, Env::system());
        out << fmt::format("export:  {}{} ({} messages)\n",
                           summary.index.empty() ? summary.files.front() : summary.index,
                           summary.index.empty() ? "" : fmt::format(" (the index of {} parts)", summary.files.size()),
                           summary.messages);
    }
}

/// The chat's activity report in HTML and JSON: DIR/STEM.html and DIR/STEM.json.
void reportDemoChat(Archive& archive, const std::filesystem::path& dir, const std::string& chatId,
                    const std::string& stem, std::ostream& out) {
    const auto stats = computeStatistics(archive, {chatId});
    HtmlReportInfo info;
    if (const auto chat = archive.chatInfo(chatId)) info.chatTitle = chat->title;
    for (auto format : {ReportFormat::Html, ReportFormat::Json}) {
        const auto path = (dir / (stem + "." + reportFormatName(format))).string();
        writeReport(stats, format, info, path);
        out << fmt::format("report:  {} ({} messages over {} days)\n", path, stats.messages, stats.byDay.size());
    }
}

/// The demo's media settings: every type into DATABASE.media, unthrottled, and loopback allowed, since the built-in
/// simulator serves the media on 127.0.0.1 (only the demo lifts that guard by itself; see README).
MediaConfig demoMedia(const std::string& database) {
    MediaConfig media;
    media.types = mediaTypeNames();
    media.directory = defaultMediaDirectory(database);
    media.requestsPerSecond = 0;
    media.allowPrivateAddresses = true;
    media.stallTimeout = std::chrono::seconds(5);
    return media;
}

/// Every chat of the simulator into `archive` (messages and media), reporting as sync does.
std::vector<ChatSyncResult> syncDemoArchive(Archive& archive, const sim::Simulator& simulator, const std::string& token,
                                            CommandContext& ctx) {
    GraphClientSettings api;
    api.baseUrl = simulator.baseUrl();
    api.accessToken = token;
    GraphClient client(api, std::make_shared<RateLimiter>(0));
    SyncRunner runner(archive, client, {{"all"}, 100, {}, false});  // a fresh archive: nothing to re-check
    const auto config = demoMedia(archive.path());
    MediaRoom media(config, Env::system());
    const MediaPlan plan{config, media.access()};
    const auto ledger = openArchive(archive.path());
    runner.setMedia(&plan, ledger.get(), nullptr);
    ctx.out << fmt::format("media:     {} (the simulator's media, fetched from loopback: the demo alone allows it)\n",
                           config.directory);
    return runSyncWithReport(runner, ctx.out, ctx.err, Env::system());
}

/// The exports and reports of every chat that synced.
void writeDemoOutputs(Archive& archive, const std::filesystem::path& dir, const std::vector<ChatSyncResult>& results,
                      std::ostream& out) {
    int reports = 0;
    for (const auto& r : results) {
        if (!r.ok) continue;
        const auto name = r.chatId.substr(r.chatId.find(':') + 1);
        exportDemoChat(archive, dir, r.chatId, name, out);
        // The activity report of the first chat is report.html / report.json; further chats add their id.
        reportDemoChat(archive, dir, r.chatId, reports++ == 0 ? std::string("report") : "report." + name, out);
    }
}

/// The whole pipeline against the built-in simulator on a free loopback port: no token, no network.
int runDemo(CommandContext& ctx) {
    const auto given = ctx.options.value("dir");
    const std::filesystem::path dir = given.empty() ? "okarchive-demo" : given;
    const auto database = freshDemoArchive(dir);

    sim::SimConfig simConfig;
    simConfig.seed = 42;
    simConfig.mediaMaxSize = 128 * 1024;  // real files of every kind, small enough for a quick demo
    sim::Simulator simulator(simConfig);
    simulator.start();
    ctx.out << fmt::format("simulator: {} (an OK Graph API stand-in on loopback)\n", simulator.baseUrl());

    const auto opened = openArchive(database);
    const auto results = syncDemoArchive(*opened, simulator, simConfig.token, ctx);
    ctx.out << fmt::format("\narchive: {}\n", database);
    writeDemoOutputs(*opened, dir, results, ctx.out);
    ctx.out << fmt::format("\nnext: okarchive -D archive.database={} status\n", database);
    simulator.stop();
    return ExitOk;
}

}  // namespace

const CommandSpec& demoCommand() {
    static const CommandSpec spec{
        "demo",
        "[--dir=DIR]",
        "run the whole pipeline against the built-in simulator",
        {{"dir", "", "DIR", false, "where the demo writes its archive and exports (default okarchive-demo)"}},
        runDemo};
    return spec;
}

}  // namespace okarchive
