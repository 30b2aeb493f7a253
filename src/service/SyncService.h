#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "domain/Env.h"
#include "service/Scheduler.h"
#include "service/ServiceConfig.h"
#include "service/ServiceStatus.h"
#include "sync/ChatMedia.h"
#include "sync/ChatRun.h"
#include "sync/ChatSync.h"

namespace Poco {
class Logger;
}

namespace okarchive {

class Archive;
class GraphClient;
struct ChatDiscovery;  // what listing the bot's chats gave (SyncService.cpp)

/// Runs after each successful sync of a chat, on the same worker (its own Archive and GraphClient), while no other
/// run of that chat can start: where post-back summaries happen. `syncStartedAtMs`: when that sync began (everything
/// posted before it is archived now). Exceptions are logged and shown in /healthz.
using AfterSyncHook =
    std::function<void(const std::string& chatId, Archive& archive, GraphClient& client, std::int64_t syncStartedAtMs)>;

/// The scheduled service: a dispatcher hands due chats (Scheduler) to `workers` threads, each with its own Archive
/// (SQLite connection) and GraphClient, all under one shared RateLimiter. One log line per run per chat. An invalid
/// token stops all syncing until reload() brings a new configuration. Cancelling `stop` (or requestStop()) ends every
/// wait at once (dispatcher, rate limit, retry backoff, the HTTP request in flight): running syncs commit the pages
/// already fetched and abandon the one in flight, and run() returns.
class SyncService {
public:
    SyncService(ServiceConfig config, Env& env, const Cancellation& stop, Poco::Logger& logger);
    ~SyncService();

    /// Blocks until stopped and every worker has ended its run in flight.
    void run();
    void requestStop();  ///< as if `stop` were cancelled
    /// A new configuration (SIGHUP): chats, intervals, token, rate, summaries. Workers and the status endpoint keep
    /// their count and address until restart.
    void reload(ServiceConfig config);
    void setAfterSyncHook(AfterSyncHook hook) { _afterSync = std::move(hook); }
    /// The media room (one MediaFetcher for the process, shared by the workers): each chat run then downloads its
    /// media as `sync` does (ServiceConfig::media). Without it serve does no media work. Set before run().
    void setMediaAccess(MediaAccess access) { _mediaAccess = std::move(access); }
    /// Called by the dispatcher loop (the thread of run() that hands due chats to workers) at every cycle: at least
    /// every `every`, and after every run ends, with statusLine(); a loop that hangs stops calling it (where the
    /// service manager's watchdog is fed). Set before run().
    using LoopHook = std::function<void(const std::string& status)>;
    void setLoopHook(std::chrono::milliseconds every, LoopHook hook);
    /// "3 chats, 1 running, 0 failed" (or why syncing is stopped): the service manager's STATUS= line.
    std::string statusLine() const;

    ServiceStatus& status() { return _status; }
    const Scheduler& scheduler() const { return _scheduler; }
    std::int64_t archiveBytes() const;  ///< database plus WAL on disk
    ServiceConfig config() const;       ///< the configuration in force (a copy)

private:
    struct Generation;  // what workers build their clients from; replaced on reload

    struct Worker;  // one worker thread's archive connection and client (SyncService.cpp)

    void startWorkers();
    void joinWorkers();
    void dispatchDue();                                     ///< due chats to idle workers (with _mutex held)
    std::chrono::milliseconds dispatchWait() const;         ///< until the next chat is due, at most a second
    std::chrono::milliseconds longestWait() const;          ///< a second, or the loop hook's period if shorter
    void callLoopHook(std::unique_lock<std::mutex>& lock);  ///< with _mutex held; released around the hook
    void remindTokenRefused(Env::TimePoint& last);
    void refuseToken(const std::string& failure);  ///< stops syncing until reload() (with _mutex held)
    void workerLoop(int index);
    std::optional<std::string> nextJob();  ///< nothing when stopping
    Scheduler::FinishedWith runJob(const std::string& chatId, Worker& worker);
    /// Failure: failed; MoreToDo: its re-check pass is still open after this turn's page budget.
    Scheduler::FinishedWith syncChat(const std::string& chatId, Worker& worker);
    ChatRunOptions runOptions(const std::string& chatId, const MediaPlan* media, Worker& worker);
    void countMedia(const std::string& chatId, Archive& archive);  ///< the chat's ledger counts into _status
    void countAllMedia(Archive& archive);
    void reportRun(const ChatSyncResult& result);  ///< status, metrics and the run's log line
    void applyPendingReload(std::unique_lock<std::mutex>& lock);
    void planChats(std::unique_lock<std::mutex>& lock);
    /// The chats to plan; nothing while the bot's chats are being listed (sync.chats = all, on _discoverer, so
    /// the loop never waits on the API).
    std::optional<std::vector<std::string>> discoverChats(std::unique_lock<std::mutex>& lock);
    void takeDiscovery(std::unique_lock<std::mutex>& lock);  ///< applies the finished listing's result
    void joinDiscoverer();
    std::shared_ptr<const Generation> generation() const;

    Env& _env;
    Poco::Logger& _logger;
    ServiceStatus _status;
    Scheduler _scheduler;
    AfterSyncHook _afterSync;
    MediaAccess _mediaAccess;
    LoopHook _loopHook;
    std::chrono::milliseconds _loopHookEvery{1000};

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::shared_ptr<const Generation> _generation;
    std::optional<ServiceConfig> _pendingReload;
    std::deque<std::string> _jobs;
    int _idleWorkers = 0;
    Cancellation _stopping;  // cancelled by `stop` or requestStop(); every client and wait of the service uses it
    bool _authFailed = false;
    std::optional<Env::TimePoint> _lastDiscovery;
    std::vector<std::string> _discovered;
    std::vector<std::thread> _workers;
    std::thread _discoverer;                    // lists the bot's chats while the loop goes on
    std::unique_ptr<ChatDiscovery> _discovery;  // its result, handed over under _mutex
    Cancellation::Registration _onStop;         // last: gone before anything requestStop() touches
};

}  // namespace okarchive
