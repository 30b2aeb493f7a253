#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>

#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fmt/format.h>

#include "app/Commands.h"
#include "app/MediaRoom.h"
#include "app/Daemon.h"
#include "app/EnvironmentCheck.h"
#include "app/ServeLogging.h"
#include "app/Settings.h"
#include "app/StopSignals.h"
#include "domain/Errors.h"
#include "digest/SummaryPoster.h"
#include "service/StatusServer.h"
#include "service/SyncService.h"
#include "service/SystemdNotify.h"
#include "store/Archive.h"
#include "store/ArchiveLock.h"

namespace okarchive {
namespace {

/// `what` names the setting or option ("setting archive.database", "option --pidfile").
void requireAbsoluteWhenDaemon(const std::string& path, const char* what, bool daemon) {
    if (daemon && !path.empty() && !std::filesystem::path(path).is_absolute())
        throw UsageError(fmt::format("{} = '{}': serve --daemon changes to /, give an absolute path", what, path));
}

/// --umask=MASK (octal), applied before serve creates any file.
void applyUmask(const CommandOptions& options) {
    if (!options.has("umask")) return;
    const auto text = options.value("umask");
    const bool octal = !text.empty() && text.size() <= 4 && text.find_first_not_of("01234567") == std::string::npos;
    if (!octal) throw UsageError(fmt::format("option --umask '{}': expected an octal mask such as 027", text));
    ::umask(static_cast<mode_t>(std::stoul(text, nullptr, 8) & 0777));
}

/// --pidfile=FILE: holds serve's process id while it runs (the daemon's own, written before the caller returns),
/// removed at the end.
class PidFile {
public:
    explicit PidFile(std::string path) : _path(std::move(path)) {
        if (_path.empty()) return;
        std::ofstream out(_path, std::ios::trunc);
        out << ::getpid() << "\n";
        out.flush();
        if (!out)
            throw UsageError(fmt::format("option --pidfile '{}': cannot write it: {}", _path, std::strerror(errno)));
    }
    ~PidFile() {
        if (!_path.empty()) std::filesystem::remove(_path, _ignored);
    }
    PidFile(const PidFile&) = delete;
    PidFile& operator=(const PidFile&) = delete;

private:
    std::string _path;
    std::error_code _ignored;
};

/// What serve needs before anything starts: the validated configuration and the logger.
struct ServeSetup {
    ServiceConfig config;
    std::string listen;
    Poco::Logger* logger = nullptr;
};

/// Validates everything a typo could break (exit 2 before anything starts) and sets up logging.
ServeSetup setUpServe(CommandContext& ctx) {
    const bool daemon = ctx.options.has("daemon");
    ServeSetup setup{Settings(ctx.config).serve(), ctx.config.getString("status.listen", "")};
    requireAbsoluteWhenDaemon(setup.config.databasePath, "setting archive.database", daemon);
    requireAbsoluteWhenDaemon(ctx.config.getString("logging.file", ""), "setting logging.file", daemon);
    requireAbsoluteWhenDaemon(ctx.options.value("pidfile"), "option --pidfile", daemon);
    if (!setup.listen.empty()) StatusServer::parseListen(setup.listen);
    setup.logger = &setUpServeLogging(ctx.config, daemon);
    if (!ctx.config.getString("logging.file", "").empty())  // standard error, the log otherwise, has them already
        for (const auto& warning : environmentWarnings()) setup.logger->warning(warning);
    return setup;
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

/// SIGHUP: re-reads the --config file and applies it, or keeps the running configuration if it is not valid.
void reloadConfiguration(CommandContext& ctx, SyncService& service, SummaryPoster& poster, ServiceNotifier& notifier,
                         Poco::Logger& logger) {
    notifier.reloading();
    try {
        if (ctx.reloadConfig) ctx.reloadConfig();
        service.reload(Settings(ctx.config).serve());
        poster.reload(Settings(ctx.config).serve().summary);
    } catch (const std::exception& e) {
        logger.error(fmt::format("SIGHUP: the new configuration is not valid, keeping the old one: {}", e.what()));
    }
    notifier.ready(service.statusLine());
}

/// Runs the service until its stop (SIGTERM, SIGINT, SIGQUIT) ends it: every wait and request of it wakes at once, what
/// was fetched is committed, the rest is re-fetched next time (the archive is consistent at any instant).
/// Returns its failure, or "" if it stopped.
std::string runService(SyncService& service) {
    try {
        service.run();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

/// The signal handling of serve: SIGHUP reloads (hook set once the service exists), the others stop and are logged.
StopSignals::Options serveSignals(Poco::Logger& logger, ServiceNotifier& notifier) {
    StopSignals::Options options;
    options.quitStops = true;
    options.handleHangup = true;
    options.onStop = [&logger, &notifier](const std::string& signal) {
        notifier.stopping();
        logger.information(
            fmt::format("{}: stopping (pages fetched are committed, requests in flight abandoned)", signal));
    };
    return options;
}

/// Digests after each sync; the loop's keep-alives and status line to the service manager, if there is one.
void connectHooks(SyncService& service, SummaryPoster& poster, const SystemdNotify& socket, ServiceNotifier& notifier) {
    service.setAfterSyncHook(
        [&](const std::string& chatId, Archive& archive, GraphClient& client, std::int64_t syncStartedAtMs) {
            if (poster.afterSync(chatId, archive, client, syncStartedAtMs))
                service.status().setSummaryError(chatId, "");
        });
    if (!socket.enabled()) return;
    service.setLoopHook(notifier.beatEvery().value_or(std::chrono::seconds(1)),
                        [&notifier](const std::string& status) { notifier.beat(status); });
}

int runServe(CommandContext& ctx) {
    std::optional<Daemon> daemon;  // --daemon: the caller's process waits in here until ready() or a failure
    if (ctx.options.has("daemon")) daemon.emplace();
    applyUmask(ctx.options);
    const auto setup = setUpServe(ctx);
    auto& logger = *setup.logger;
    ArchiveLock lock(setup.config.databasePath);  // exit 4 if a sync or serve holds it
    openArchive(setup.config.databasePath);       // one that cannot be opened fails now, not once detached
    const PidFile pidFile(ctx.options.value("pidfile"));
    Env& env = Env::system();
    const auto socket = SystemdNotify::fromEnvironment([&logger](const std::string& w) { logger.warning(w); });
    ServiceNotifier notifier(*socket, env,
                             watchdogTimeout(std::getenv("WATCHDOG_USEC"), std::getenv("WATCHDOG_PID"), ::getpid()));
    StopSignals signals(serveSignals(logger, notifier));  // before any thread starts (threads inherit the signal mask)

    MediaRoom media(setup.config.media, env);  // a media directory that cannot be made fails now, not once detached
    SyncService service(setup.config, env, signals.cancellation(), logger);
    service.setMediaAccess(media.access());
    SummaryPoster poster(setup.config.summary, env, logger);
    poster.setPostedObserver([&](const std::string& chatId) { service.status().recordDigestPosted(chatId); });
    connectHooks(service, poster, *socket, notifier);
    auto statusServer = startStatusServer(setup.listen, service, env, logger);
    auto reloading = signals.onHangup([&] { reloadConfiguration(ctx, service, poster, notifier, logger); });
    if (daemon) daemon->ready();
    notifier.ready("serving, the first runs are starting");
    const std::string failure = runService(service);
    reloading.reset();
    statusServer.reset();
    if (!failure.empty()) {
        logger.critical(fmt::format("stopped: {}", failure));
        throw Error(failure);
    }
    logger.information("stopped");
    return ExitOk;
}

}  // namespace

const CommandSpec& serveCommand() {
    static const CommandSpec spec{
        "serve",
        "[--daemon] [--pidfile=FILE] [--umask=MASK]",
        "keep every chat archived on a schedule; /healthz, /metrics, digests",
        {{"daemon", "", "", false,
          "run in the background (needs logging.file); returns once serving, or exits "
          "non-zero saying why not"},
         {"pidfile", "", "FILE", false, "write the process id to FILE while serving (absolute with --daemon)"},
         {"umask", "", "MASK", false, "set the file mode mask (octal, e.g. 027)"}},
        runServe};
    return spec;
}

}  // namespace okarchive
