#include "service/SyncService.h"

#include <algorithm>
#include <filesystem>

#include <Poco/Logger.h>
#include <fmt/format.h>

#include "api/GraphClient.h"
#include "domain/RateLimiter.h"
#include "domain/Errors.h"
#include "store/Archive.h"
#include "sync/ChatRun.h"

namespace okarchive {

struct SyncService::Generation {
    ServiceConfig config;
    std::shared_ptr<RateLimiter> limiter;
    int number = 0;
};

struct SyncService::Worker {
    std::unique_ptr<Archive> archive;
    std::unique_ptr<Archive> mediaLedger;  // the chat's media work has a connection of its own (ChatMedia)
    std::unique_ptr<GraphClient> client;
    int clientGeneration = -1;
};

/// What listing the bot's chats (sync.chats = all) gave: the ids, or why not.
struct ChatDiscovery {
    std::vector<std::string> ids;
    std::string failure;
    bool auth = false;     ///< the token was refused
    bool stopped = false;  ///< cancelled: nothing to report
};

namespace {

/// `client`'s requests and retries counted in `status` (/metrics).
void observeInto(GraphClient& client, ServiceStatus& status) {
    client.setObserver([&status](int http, int code) { status.recordApiRequest(http, code); });
    client.setRetryObserver([&status](const std::string& reason) { status.recordApiRetry(reason); });
}

ChatDiscovery listAllChats(const ServiceConfig& config, const std::shared_ptr<RateLimiter>& limiter, Env& env,
                           const Cancellation& stop, ServiceStatus& status, Poco::Logger& logger) {
    ChatDiscovery found;
    try {
        const auto archive = openArchive(config.databasePath, env);
        GraphClient client(config.api, limiter, env, stop);
        observeInto(client, status);
        client.setWarningSink([&logger](const std::string& warning) { logger.warning(warning); });  // skipped ids
        GraphChatSources sources(client);
        found.ids = ChatRun(*archive, sources, env).resolve(config.chats);
    } catch (const Cancelled&) {
        found.stopped = true;
    } catch (const AuthError& e) {
        found.auth = true;
        found.failure = e.what();
    } catch (const std::exception& e) {
        found.failure = e.what();
    }
    return found;
}

/// The chat's archived messages, or 0 (which never lowers what ServiceStatus shows) if the archive cannot say.
std::int64_t countOrZero(Archive& archive, const std::string& chatId) {
    try {
        return archive.messageCount(chatId);
    } catch (const StorageError&) {
        return 0;
    }
}

}  // namespace

SyncService::SyncService(ServiceConfig config, Env& env, const Cancellation& stop, Poco::Logger& logger)
    : _env(env), _logger(logger), _scheduler(env) {
    auto generation = std::make_shared<Generation>();
    generation->limiter = std::make_shared<RateLimiter>(config.requestsPerSecond);
    generation->config = std::move(config);
    _generation = std::move(generation);
    _onStop = stop.onCancel([this] { requestStop(); });
}

SyncService::~SyncService() {
    requestStop();
    joinDiscoverer();
    for (auto& t : _workers)
        if (t.joinable()) t.join();
}

std::shared_ptr<const SyncService::Generation> SyncService::generation() const {
    std::lock_guard lock(_mutex);
    return _generation;
}

ServiceConfig SyncService::config() const { return generation()->config; }

std::int64_t SyncService::archiveBytes() const {
    const auto path = generation()->config.databasePath;
    std::int64_t total = 0;
    for (const auto& file : {path, path + "-wal"}) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(file, ec);
        if (!ec) total += static_cast<std::int64_t>(size);
    }
    return total;
}

void SyncService::requestStop() {
    _stopping.cancel();
    {
        std::lock_guard lock(_mutex);  // a waiter between its check and its wait: let it reach the wait
    }
    _changed.notify_all();
}

void SyncService::reload(ServiceConfig config) {
    {
        std::lock_guard lock(_mutex);
        _pendingReload = std::move(config);
    }
    _changed.notify_all();
}

void SyncService::applyPendingReload(std::unique_lock<std::mutex>&) {
    if (!_pendingReload) return;
    auto next = std::make_shared<Generation>();
    next->limiter = std::make_shared<RateLimiter>(_pendingReload->requestsPerSecond);
    next->number = _generation->number + 1;
    next->config = std::move(*_pendingReload);
    _pendingReload.reset();
    _generation = std::move(next);
    _lastDiscovery.reset();
    _logger.information("configuration re-read (SIGHUP)");
    if (_authFailed) {
        _authFailed = false;
        _status.setAuthError("");
        _scheduler.makeAllDue();
        _logger.notice("trying the access token again");
    }
}

std::optional<std::vector<std::string>> SyncService::discoverChats(std::unique_lock<std::mutex>& lock) {
    const auto& config = _generation->config;
    if (!ChatRun::namesAllChats(config.chats)) {
        _status.setDiscoveryError("");  // nothing to discover (any more, after a SIGHUP)
        return config.chats;
    }
    if (_discoverer.joinable()) {
        if (!_discovery) return std::nullopt;  // still listing, on its own thread: the loop goes on meanwhile
        takeDiscovery(lock);
        return _discovered;
    }
    const auto now = _env.now();
    if (_lastDiscovery && now - *_lastDiscovery < config.interval) return _discovered;
    _lastDiscovery = now;
    _discoverer = std::thread([this, gen = _generation] {
        auto found =
            std::make_unique<ChatDiscovery>(listAllChats(gen->config, gen->limiter, _env, _stopping, _status, _logger));
        {
            std::lock_guard guard(_mutex);
            _discovery = std::move(found);
        }
        _changed.notify_all();
    });
    return std::nullopt;
}

void SyncService::takeDiscovery(std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    _discoverer.join();  // it has handed over its result: only its notify is left
    lock.lock();
    const auto found = std::move(_discovery);
    if (found->stopped) return;
    if (found->auth) {
        refuseToken(found->failure);
        return;
    }
    _status.setDiscoveryError(found->failure);
    if (!found->failure.empty()) {
        _logger.error(
            fmt::format("cannot list the bot's chats (sync.chats = all): {}; keeping the last list", found->failure));
        // Try again within a minute rather than a whole interval.
        const auto interval = _generation->config.interval;
        const auto retry = std::min<Env::TimePoint::duration>(interval, std::chrono::minutes(1));
        _lastDiscovery = _env.now() - interval + retry;
        return;
    }
    _discovered = found->ids;
}

void SyncService::joinDiscoverer() {
    if (_discoverer.joinable()) _discoverer.join();
}

void SyncService::refuseToken(const std::string& failure) {
    if (!_authFailed)
        _logger.critical(
            fmt::format("ACCESS TOKEN REFUSED, syncing stopped: {}. Put a new token in the configuration and send "
                        "SIGHUP (systemctl reload okarchive)",
                        failure));
    _authFailed = true;
    _status.setAuthError(failure);
}

void SyncService::planChats(std::unique_lock<std::mutex>& lock) {
    const auto found = discoverChats(lock);
    if (!found) return;  // the list is being fetched: the schedule stays as it is
    const auto& ids = *found;
    std::vector<Scheduler::ChatPlan> plans;
    for (const auto& id : ids) plans.push_back({id, _generation->config.intervalFor(id)});
    _scheduler.setChats(plans);
    _status.setChats(ids);
}

void SyncService::run() {
    {
        // What the archive already holds, so /metrics and /healthz start from the truth.
        const auto opened = openArchive(_generation->config.databasePath, _env);
        Archive& archive = *opened;
        for (const auto& s : archive.chatStatuses()) _status.setArchived(s.chatId, s.messages);
        countAllMedia(archive);
    }
    startWorkers();
    std::unique_lock lock(_mutex);
    auto lastAuthReminder = _env.now();
    while (!_stopping.cancelled()) {  // every wait below wakes on requestStop()
        _status.recordDispatcherCycle();
        callLoopHook(lock);
        applyPendingReload(lock);
        if (_authFailed) {
            remindTokenRefused(lastAuthReminder);
            _changed.wait_for(lock, longestWait());
            continue;
        }
        planChats(lock);
        if (_stopping.cancelled() || _authFailed) continue;
        dispatchDue();
        _changed.wait_for(lock, dispatchWait());
    }
    lock.unlock();
    joinDiscoverer();
    joinWorkers();
}

void SyncService::startWorkers() {
    const int workers = std::max(1, _generation->config.workers);
    {
        std::lock_guard lock(_mutex);
        _idleWorkers = workers;
    }
    for (int i = 0; i < workers; ++i) _workers.emplace_back([this, i] { workerLoop(i); });
    _logger.information(fmt::format("serving {} with {} workers", _generation->config.databasePath, workers));
}

void SyncService::joinWorkers() {
    _changed.notify_all();
    for (auto& t : _workers)
        if (t.joinable()) t.join();
    _workers.clear();
}

void SyncService::remindTokenRefused(Env::TimePoint& last) {
    if (_env.now() - last < std::chrono::minutes(5)) return;
    last = _env.now();
    _logger.critical(
        "ACCESS TOKEN REFUSED: syncing is stopped until a new token is configured and okarchive gets SIGHUP");
}

void SyncService::dispatchDue() {
    while (_idleWorkers > 0) {
        auto due = _scheduler.takeDue();
        if (!due) break;
        --_idleWorkers;
        _jobs.push_back(*due);
        _changed.notify_all();
    }
}

void SyncService::setLoopHook(std::chrono::milliseconds every, LoopHook hook) {
    std::lock_guard lock(_mutex);
    _loopHookEvery = std::max(std::chrono::milliseconds(1), every);
    _loopHook = std::move(hook);
}

void SyncService::callLoopHook(std::unique_lock<std::mutex>& lock) {
    if (!_loopHook) return;
    const auto hook = _loopHook;
    lock.unlock();
    hook(statusLine());
    lock.lock();
}

std::string SyncService::statusLine() const {
    bool refused = false;
    {
        std::lock_guard lock(_mutex);
        refused = _authFailed;
    }
    if (refused) return "ACCESS TOKEN REFUSED, syncing stopped until SIGHUP brings a new one";
    const auto entries = _scheduler.entries();
    const auto running = std::count_if(entries.begin(), entries.end(), [](const auto& e) { return e.running; });
    const auto failed =
        std::count_if(entries.begin(), entries.end(), [](const auto& e) { return e.failuresInARow > 0; });
    return fmt::format("{} chats, {} running, {} failed", entries.size(), running, failed);
}

std::chrono::milliseconds SyncService::longestWait() const {
    return std::min(std::chrono::milliseconds(1000), _loopHookEvery);
}

std::chrono::milliseconds SyncService::dispatchWait() const {
    const auto most = longestWait();
    if (_idleWorkers == 0) return most;
    const auto wake = _scheduler.nextWake();
    if (!wake) return most;
    return std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*wake - _env.now()),
                      std::chrono::milliseconds(1), most);
}

void SyncService::workerLoop(int) {
    Worker worker;
    while (const auto chatId = nextJob()) {
        _scheduler.finished(*chatId, runJob(*chatId, worker));
        {
            std::lock_guard lock(_mutex);
            ++_idleWorkers;
        }
        _changed.notify_all();
    }
}

std::optional<std::string> SyncService::nextJob() {
    std::unique_lock lock(_mutex);
    _changed.wait(lock, [&] { return _stopping.cancelled() || !_jobs.empty(); });
    if (_stopping.cancelled()) return std::nullopt;
    auto chatId = std::move(_jobs.front());
    _jobs.pop_front();
    return chatId;
}

/// One chat's run on a worker; Failure when it failed (the scheduler backs it off).
Scheduler::FinishedWith SyncService::runJob(const std::string& chatId, Worker& worker) {
    const auto gen = generation();
    const auto started = _env.now();
    try {
        if (!worker.archive) worker.archive = openArchive(gen->config.databasePath, _env);
        if (!worker.client || worker.clientGeneration != gen->number) {
            worker.client = std::make_unique<GraphClient>(gen->config.api, gen->limiter, _env, _stopping);
            observeInto(*worker.client, _status);
            worker.clientGeneration = gen->number;
        }
        if (_mediaAccess.fetch && !worker.mediaLedger) worker.mediaLedger = openArchive(gen->config.databasePath, _env);
        return syncChat(chatId, worker);
    } catch (const Cancelled&) {
        return Scheduler::FinishedWith::Success;  // stopping (a summary's post abandoned): not a failure of the chat
    } catch (const AuthError& e) {
        std::lock_guard lock(_mutex);
        refuseToken(e.what());
    } catch (const std::exception& e) {
        // A failure around the sync (opening the archive): a failed run like any other, in /healthz and /metrics.
        const std::chrono::duration<double> seconds = _env.now() - started;
        _status.recordRun(chatId, "failed", seconds.count(), 0, _env.wallMs(), e.what(), {});
        _logger.error(fmt::format("{}  FAILED after {:.1f} s: {}", chatId, seconds.count(), e.what()));
        worker.archive.reset();
        worker.mediaLedger.reset();
    }
    return Scheduler::FinishedWith::Failure;
}

ChatRunOptions SyncService::runOptions(const std::string& chatId, const MediaPlan* media, Worker& worker) {
    const auto& config = generation()->config;
    ChatRunOptions options{config.pageSize, {}, [this] { return _stopping.cancelled(); }};
    options.media = media;
    options.mediaLedger = worker.mediaLedger.get();
    options.stop = &_stopping;
    options.recheck = RecheckPlan::of(config.recheck, chatId);  // at most sync.recheck_pages pages this turn
    return options;
}

Scheduler::FinishedWith SyncService::syncChat(const std::string& chatId, Worker& worker) {
    Archive& archive = *worker.archive;
    GraphClient& client = *worker.client;
    const auto startedAt = _env.wallMs();
    GraphChatSources sources(client, generation()->config.includeDeleted);
    ChatRun run(archive, sources, _env);
    const MediaPlan plan{generation()->config.media, _mediaAccess, [this](const MediaOutcome& o, bool requested) {
                             _status.recordMediaOutcome(o.state, o.bytes, requested);
                         }};
    ChatSyncResult result;
    try {
        result = run.run(chatId, runOptions(chatId, _mediaAccess.fetch ? &plan : nullptr, worker));
        countMedia(chatId, archive);
    } catch (const AuthError& e) {
        _status.recordRun(chatId, "failed", 0, countOrZero(archive, chatId), _env.wallMs(), e.what(), {});
        throw;
    }
    if (result.stopped) {
        _logger.information(fmt::format("{}  stopped by shutdown after {} new messages ({:.1f} s)", chatId,
                                        result.messagesNew, result.seconds));
        return Scheduler::FinishedWith::Success;
    }
    reportRun(result);
    if (!result.ok) return Scheduler::FinishedWith::Failure;
    if (_afterSync && !_stopping.cancelled()) {
        try {
            _afterSync(chatId, archive, client, startedAt);
        } catch (const AuthError&) {
            throw;
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            _logger.error(fmt::format("{}  summary: {}", chatId, e.what()));
            _status.setSummaryError(chatId, e.what());
        }
    }
    return result.recheckRan && !result.recheckCompleted ? Scheduler::FinishedWith::MoreToDo
                                                         : Scheduler::FinishedWith::Success;
}

void SyncService::countMedia(const std::string& chatId, Archive& archive) {
    try {
        std::map<MediaState, std::int64_t> files;
        for (const auto& c : archive.mediaCounts(chatId)) files[c.state] += c.files;
        _status.setMediaFiles(chatId, files);
    } catch (const StorageError&) {  // the gauge keeps its last value; the run's own outcome says what failed
    }
}

void SyncService::countAllMedia(Archive& archive) {
    std::map<std::string, std::map<MediaState, std::int64_t>> byChat;
    for (const auto& c : archive.mediaCounts(std::nullopt)) byChat[c.chatId][c.state] += c.files;
    for (const auto& [chatId, files] : byChat) _status.setMediaFiles(chatId, files);
}

void SyncService::reportRun(const ChatSyncResult& result) {
    const auto& chatId = result.chatId;
    _status.recordRun(chatId, result.ok ? "ok" : "failed", result.seconds, result.messagesTotal, _env.wallMs(),
                      result.error, result.warnings);
    for (const auto& w : result.warnings) _logger.warning(fmt::format("{}  warning: {}", chatId, w));
    if (!result.ok) {
        _logger.error(fmt::format("{}  FAILED after {:.1f} s: {} ({} new messages kept{})", chatId, result.seconds,
                                  result.error, result.messagesNew, describeMedia(result.media)));
        return;
    }
    _logger.information(fmt::format("{}  ok  {} new, {} revised{}, {} archived, {} requests, {:.1f} s{}", chatId,
                                    result.messagesNew, result.messagesRevised, describeRecheck(result),
                                    result.messagesTotal, result.requests, result.seconds,
                                    describeMedia(result.media)));
}

}  // namespace okarchive
