#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <functional>
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
#include "digest/SummaryPoster.h"
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

/// What serve needs before anything starts: the validated configuration and the logger.
struct ServeSetup {
    ServiceConfig config;
    std::string listen;
    Poco::Logger* logger = nullptr;
};

/// Validates everything a typo could break (exit 2 before anything starts) and sets up logging.
ServeSetup setUpServe(CommandContext& ctx) {
    const bool daemon = ctx.config.getBool("application.runAsDaemon", false);
    ServeSetup setup{Settings(ctx.config).serve(), ctx.config.getString("status.listen", "")};
    requireAbsoluteWhenDaemon(setup.config.databasePath, "archive.database", daemon);
    requireAbsoluteWhenDaemon(ctx.config.getString("logging.file", ""), "logging.file", daemon);
    if (!setup.listen.empty()) StatusServer::parseListen(setup.listen);
    setup.logger = &setUpLogging(ctx.config, daemon);
    return setup;
}

/// Signals go to the calling thread only (sigtimedwait in waitForStop): blocked before any other thread exists,
/// threads inherit the mask.
sigset_t blockStopSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&signals, s);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

/// /healthz and /metrics on status.listen, or nothing if it is empty.
std::unique_ptr<StatusServer> startStatusServer(const std::string& listen, SyncService& service, const Env& env,
                                                Poco::Logger& logger) {
    if (listen.empty()) return nullptr;
    auto server = std::make_unique<StatusServer>(
        listen, StatusServer::Handlers{
                    [&] { return service.status().health(service.scheduler().entries(), env.now(), env.wallMs()); },
                    [&] { return service.status().metrics(service.archiveBytes()); }});
    logger.information(fmt::format("status endpoint on http://{}:{}/healthz and /metrics",
                                   StatusServer::parseListen(listen).first, server->port()));
    return server;
}

/// The service's thread: runs it until it stops or fails, then wakes the signal loop.
struct ServiceThread {
    std::atomic<bool> finished{false};
    std::string failure;
    std::thread thread;

    void start(SyncService& service) {
        thread = std::thread([this, &service] {
            try {
                service.run();
            } catch (const std::exception& e) {
                failure = e.what();
            }
            finished = true;
            ::kill(::getpid(), SIGTERM);  // wake the signal loop (blocked everywhere, so it lands in sigtimedwait)
        });
    }
};

/// SIGHUP: re-reads the --config file and applies it, or keeps the running configuration if it is not valid.
void reloadConfiguration(CommandContext& ctx, SyncService& service, SummaryPoster& poster, Poco::Logger& logger) {
    try {
        if (ctx.reloadConfig) ctx.reloadConfig();
        service.reload(Settings(ctx.config).serve());
        poster.reload(Settings(ctx.config).serve().summary);
    } catch (const std::exception& e) {
        logger.error(fmt::format("SIGHUP: the new configuration is not valid, keeping the old one: {}", e.what()));
    }
}

/// Waits for SIGINT, SIGTERM or SIGQUIT (or the service ending), reloading on SIGHUP.
void waitForStop(const sigset_t& signals, const ServiceThread& runner, const std::function<void()>& onHangup,
                 Poco::Logger& logger) {
    const timespec tick{1, 0};
    for (;;) {
        siginfo_t info;
        const int sig = sigtimedwait(&signals, &info, &tick);
        if (runner.finished) return;
        if (sig == SIGHUP) {
            onHangup();
        } else if (sig == SIGINT || sig == SIGTERM || sig == SIGQUIT) {
            logger.information(
                fmt::format("signal {}: stopping (pages fetched are committed, requests in flight abandoned)", sig));
            return;
        }
    }
}

/// Stops the service by cancelling `stop`: every wait and request of it wakes at once, what was fetched is committed,
/// the rest is re-fetched next time (the archive is consistent at any instant). Throws the service's failure, if any.
void stopServing(Cancellation& stop, ServiceThread& runner, std::unique_ptr<StatusServer>& statusServer,
                 Poco::Logger& logger) {
    stop.cancel();
    runner.thread.join();
    statusServer.reset();
    if (!runner.failure.empty()) {
        logger.critical(fmt::format("stopped: {}", runner.failure));
        throw Error(runner.failure);
    }
    logger.information("stopped");
}

int runServe(CommandContext& ctx) {
    const auto setup = setUpServe(ctx);
    auto& logger = *setup.logger;
    // exit 4 if a sync or serve holds it
    ArchiveLock lock(setup.config.databasePath, "okarchive serve", Env::system());
    const auto signals = blockStopSignals();

    Env& env = Env::system();
    Cancellation stop;  // SIGTERM, SIGINT, SIGQUIT: cancelled once, every wait of the service ends
    SyncService service(setup.config, env, stop, logger);
    SummaryPoster poster(setup.config.summary, env, logger);
    service.setAfterSyncHook(
        [&](const std::string& chatId, Archive& archive, GraphClient& client, std::int64_t syncStartedAtMs) {
            if (poster.afterSync(chatId, archive, client, syncStartedAtMs))
                service.status().setSummaryError(chatId, "");
        });
    auto statusServer = startStatusServer(setup.listen, service, env, logger);

    ServiceThread runner;
    runner.start(service);
    waitForStop(
        signals, runner, [&] { reloadConfiguration(ctx, service, poster, logger); }, logger);
    stopServing(stop, runner, statusServer, logger);
    return ExitOk;
}

}  // namespace

const CommandSpec& serveCommand() {
    static const CommandSpec spec{"serve",
                                  "[--daemon] [--pidfile=FILE]",
                                  "keep every chat archived on a schedule; /healthz, /metrics, digests",
                                  {},
                                  runServe};
    return spec;
}

}  // namespace okarchive
