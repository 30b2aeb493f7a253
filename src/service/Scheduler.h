#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "domain/Env.h"

namespace okarchive {

/// When each chat syncs next. Pure bookkeeping over an injected Env (thread-safe, never sleeps):
/// - a chat added by setChats() is due at once (the first run at start);
/// - after a success it is due again one interval later plus a random jitter (up to 10% of the interval, at most a
///   minute), so many chats do not hit the API in step;
/// - after its n-th failure in a row it waits interval * 2^n, at most an hour (a failing chat backs off without
///   holding the others back);
/// - a chat whose run left work to do (its re-check pass stays open after the turn's page budget) is due again at
///   once, but after every chat already due (FinishedWith::MoreToDo), so one large re-check cannot starve the others;
/// - a chat that is running is never handed out again until finished() (no two runs of one chat at once).
/// Idle chats wait in a queue ordered by next run, then those with more to do last, then by id: takeDue and
/// finished cost O(log n).
class Scheduler {
public:
    using Duration = std::chrono::milliseconds;
    /// A random number in [0, 1) for the jitter; the default is a seeded generator.
    using Random = std::function<double()>;
    static constexpr Duration kMaxBackoff{3600 * 1000};

    struct ChatPlan {
        std::string chatId;
        Duration interval;
    };

    /// What /healthz shows of a chat's schedule.
    struct Entry {
        std::string chatId;
        Duration interval{0};
        Env::TimePoint nextRun{};
        bool running = false;
        int failuresInARow = 0;
        bool moreToDo = false;  ///< its last run left work (an open re-check pass): queued behind chats due as soon
    };

    /// How a run ended.
    enum class FinishedWith { Failure, Success, MoreToDo };

    explicit Scheduler(const Env& env, Random random = {});

    /// The chats to schedule from now on: new ones are due now, known ones keep their next run (with the new
    /// interval), chats no longer listed are dropped (a running one finishes first, then is forgotten).
    void setChats(const std::vector<ChatPlan>& chats);
    /// The due, idle chat whose run is most overdue; marks it running. Nothing if none is due.
    std::optional<std::string> takeDue();
    /// A run of `chatId` ended; plans its next run from the clock's now.
    void finished(const std::string& chatId, FinishedWith how);
    void finished(const std::string& chatId, bool ok) {
        finished(chatId, ok ? FinishedWith::Success : FinishedWith::Failure);
    }
    /// Makes every idle chat due now (e.g. after SIGHUP brought a new token).
    void makeAllDue();
    /// The earliest next run of an idle chat; nothing if there is none.
    std::optional<Env::TimePoint> nextWake() const;
    std::vector<Entry> entries() const;
    std::size_t runningCount() const;

private:
    using QueueKey = std::tuple<Env::TimePoint, bool, std::string>;  // next run, more to do, id

    Duration jitter(Duration interval);
    void enqueue(const Entry& entry);
    void rebuildQueue();  // after next runs changed wholesale (setChats, makeAllDue)

    const Env& _env;
    Random _random;
    mutable std::mutex _mutex;
    std::map<std::string, Entry> _entries;
    std::vector<std::string> _dropWhenFinished;
    std::set<QueueKey> _queue;  // the idle chats (not to be dropped), soonest first
};

}  // namespace okarchive
