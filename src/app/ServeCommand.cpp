#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fmt/format.h>

#include "app/Commands.h"
#include "app/Settings.h"
#include "domain/Errors.h"
#include "service/StatusServer.h"
#include "service/SummaryPoster.h"
#include "service/SyncService.h"
#include "store/ArchiveLock.h"

namespace okarchive {
namespace {

/// Where `serve` logs: standard error, or logging.file rotated by Poco's FileChannel (logging.rotation,
/// logging.purge_count). One line per event, UTC timestamps.
Poco::Logger& setUpLogging(const Poco::Util::AbstractConfiguration& config, bool daemon) {
    const auto file = config.getString("logging.file", "");
    if (daemon && file.empty()) throw UsageError("serve --daemon has no standard error to log to: set logging.file");
    Poco::AutoPtr<Poco::Channel> sink;
    if (file.empty()) {
        sink = new Poco::ConsoleChannel(std::cerr);
    } else {
        Poco::AutoPtr<Poco::FileChannel> channel(new Poco::FileChannel(file));
        try {
            channel->setProperty("rotation", config.getString("logging.rotation", "10 M"));
            channel->setProperty("archive", "number");
            channel->setProperty("purgeCount", config.getString("logging.purge_count", "5"));
            channel->open();
        } catch (const Poco::Exception& e) {
            throw UsageError(fmt::format("setting logging.file = '{}' (or logging.rotation/purge_count): {}", file,
                                         e.displayText()));
        }
        sink = channel;
    }
    Poco::AutoPtr<Poco::PatternFormatter> format(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %t"));
    Poco::AutoPtr<Poco::FormattingChannel> formatting(new Poco::FormattingChannel(format, sink));
    auto& logger = Poco::Logger::get("okarchive.serve");
    logger.setChannel(formatting);
    logger.setLevel(Poco::Message::PRIO_INFORMATION);
    return logger;
}

void requireAbsoluteWhenDaemon(const std::string& path, const char* key, bool daemon) {
    if (daemon && !path.empty() && !std::filesystem::path(path).is_absolute())
        throw UsageError(
            fmt::format("setting {} = '{}': serve --daemon changes to /, give an absolute path", key, path));
}

}  // namespace

int runServe(CommandContext& ctx) {
    const bool daemon = ctx.config.getBool("application.runAsDaemon", false);
    Settings settings(ctx.config);
    auto config = settings.serve();
    requireAbsoluteWhenDaemon(config.databasePath, "archive.database", daemon);
    requireAbsoluteWhenDaemon(ctx.config.getString("logging.file", ""), "logging.file", daemon);
    const auto listen = ctx.config.getString("status.listen", "");
    if (!listen.empty()) StatusServer::parseListen(listen);  // a typo is exit 2 before anything starts
    auto& logger = setUpLogging(ctx.config, daemon);

    ArchiveLock lock(config.databasePath, "okarchive serve");  // exit 4 if a sync or serve holds it

    // Signals go to this thread only (sigwait below): block them before any other thread exists, threads inherit it.
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&signals, s);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    SystemClock clock;
    SyncService service(config, clock, logger);
    SummaryPoster poster(config.summary, clock, logger);
    service.setAfterSyncHook(
        [&](const std::string& chatId, Archive& archive, GraphClient& client, std::int64_t syncStartedAtMs) {
            poster.afterSync(chatId, archive, client, syncStartedAtMs, service.status());
        });

    std::unique_ptr<StatusServer> statusServer;
    if (!listen.empty()) {
        statusServer = std::make_unique<StatusServer>(
            listen,
            StatusServer::Handlers{
                [&] { return service.status().health(service.scheduler().entries(), clock.now(), clock.wallMs()); },
                [&] { return service.status().metrics(service.archiveBytes()); }});
        logger.information(fmt::format("status endpoint on http://{}:{}/healthz and /metrics",
                                       StatusServer::parseListen(listen).first, statusServer->port()));
    }

    std::atomic<bool> finished{false};
    std::string failure;
    std::thread runner([&] {
        try {
            service.run();
        } catch (const std::exception& e) {
            failure = e.what();
        }
        finished = true;
        ::kill(::getpid(), SIGTERM);  // wake the signal loop (blocked everywhere, so it lands in sigtimedwait)
    });

    const timespec tick{1, 0};
    for (;;) {
        siginfo_t info;
        const int sig = sigtimedwait(&signals, &info, &tick);
        if (finished) break;
        if (sig == SIGHUP) {
            try {
                if (ctx.reloadConfig) ctx.reloadConfig();
                service.reload(Settings(ctx.config).serve());
                poster.reload(Settings(ctx.config).serve().summary);
            } catch (const std::exception& e) {
                logger.error(
                    fmt::format("SIGHUP: the new configuration is not valid, keeping the old one: {}", e.what()));
            }
            continue;
        }
        if (sig == SIGINT || sig == SIGTERM || sig == SIGQUIT) {
            logger.information(fmt::format("signal {}: stopping after the pages in flight", sig));
            break;
        }
    }
    service.requestStop();
    // Give the page in flight up to 4.5 s to commit; a request stuck longer is abandoned (the archive is consistent at
    // any instant, and the kernel drops the lock), so the 5 s promised to systemd always hold.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(4500);
    while (!finished && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!finished) {
        logger.warning("a request is still in flight after 4.5 s; exiting without it (it is re-fetched next time)");
        std::_Exit(failure.empty() ? ExitOk : ExitPartialFailure);
    }
    runner.join();
    statusServer.reset();
    if (!failure.empty()) {
        logger.critical(fmt::format("stopped: {}", failure));
        throw Error(failure);
    }
    logger.information("stopped");
    return ExitOk;
}

}  // namespace okarchive
