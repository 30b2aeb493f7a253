#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/HistoryPager.h"
#include "api/HistorySource.h"
#include "domain/Env.h"
#include "domain/Errors.h"
#include "store/Archive.h"
#include "sync/MediaRunCounts.h"
#include "sync/RecheckPolicy.h"
#include "sync/SerialWorker.h"

namespace okarchive {

/// Live figures of one chat's sync, for progress lines.
struct SyncProgress {
    std::string chatId;
    std::uint64_t requests = 0;
    std::uint64_t pages = 0;
    std::int64_t messagesNew = 0;
    double seconds = 0;
};

/// How one chat's sync ended.
struct ChatSyncResult {
    std::string chatId;
    bool ok = false;
    bool stopped = false;  ///< a stop request ended it between pages (not a failure: nothing of it is recorded)
    std::string error;     ///< why it failed (never holds the token)
    std::int64_t messagesNew = 0;
    std::int64_t messagesRevised = 0;   ///< edits observed: a new version, the previous one kept as a revision
    std::int64_t messagesDeleted = 0;   ///< newly marked deleted (absent from a re-checked range, or flagged by the API)
    std::int64_t messagesRestored = 0;  ///< were marked deleted and came back
    bool recheckRan = false;            ///< the run re-paged (part of) a re-check pass
    bool recheckCompleted = false;      ///< ... and finished the pass (false: it stays open for the next run)
    std::int64_t chatEventsNew = 0;  ///< service messages (joins, leaves, title changes) archived for the first time
    std::int64_t messagesTotal = 0;  ///< in the archive after the run
    std::uint64_t requests = 0;
    double seconds = 0;
    std::vector<std::string> warnings;
    MediaRunCounts media;  ///< what the run did to the chat's media (ChatRun; ChatSync itself downloads nothing)
};

/// What the run's re-check found, for the chat's line after "N revised": ", 3 deleted, 1 restored" and ", re-check
/// continues next run" when its pass stayed open; "" when there is nothing to say.
std::string describeRecheck(const ChatSyncResult& result);

using ProgressCallback = std::function<void(const SyncProgress&)>;

/// Thrown by ChatSync::run when its stop check said so between two pages. Every page fetched before has been
/// committed (with its coverage); the rest is simply not covered yet, as after a crash. A Cancelled from the source
/// (a request abandoned on shutdown) ends the run the same way.
class SyncStopped : public Cancelled {
public:
    using Cancelled::Cancelled;
};

/// Syncs one chat: pages what is new and what is missing (HistoryPager) and commits each page with the coverage it
/// proves (Archive::commitPage); then, when a re-check is planned (setRecheck), continues the chat's open re-check
/// pass or opens one over the plan's window below the newest message (Archive::startRecheck) and re-pages it
/// (HistoryPager::recheck, Archive::commitRecheckPage) to its end or the plan's page budget. Commits run on a SerialWorker, in order, so page k is written while page k + 1 is
/// fetched; the archive is only touched from that worker during the run. An undecodable message in a page goes to the
/// archive's quarantine with the page (a warning of the run), the rest flows on. Exceptions from the source or the
/// archive propagate; the caller decides what they mean.
class ChatSync : private RecheckSink {
public:
    ChatSync(Archive& archive, HistorySource& source, std::string chatId, int pageSize, ProgressCallback progress = {},
             const Env& env = Env::system());

    /// Runs to completion or throws. Counts are available from result() either way.
    void run();
    /// Asked before the run and after each page: true stops the run (SyncStopped) once the pages already fetched
    /// are committed. For a service's graceful shutdown.
    void setStopCheck(std::function<bool()> stopRequested) { _stopRequested = std::move(stopRequested); }
    /// Called on the committing thread after each page is committed (where its media entries now exist).
    void setAfterCommit(std::function<void()> afterCommit) { _afterCommit = std::move(afterCommit); }
    /// The re-check after paging (default: none). A stop or a failure during it leaves the pass open.
    void setRecheck(RecheckPlan plan) { _recheck = plan; }
    const ChatSyncResult& result() const { return _result; }

private:
    void commit(std::vector<Message> messages, std::vector<TimeRange> proven) override;
    void commitRecheck(std::vector<Message> messages, std::vector<TimeRange> proven, std::vector<TimeRange> repaged,
                       std::optional<TimeRange> remaining) override;
    /// Posts `write` (a page's commit) on the commit worker with its bookkeeping, then checks for a stop.
    void postPage(std::vector<Message> messages, std::function<PageWriteResult(const std::vector<Message>&)> write);
    void counted(const PageWriteResult& written);
    /// The pass to re-page after the run, `state` as read before it: the open one, or a new one (opened on the
    /// worker) back from the newest millisecond the run found, up to what was covered before the run (the pages it
    /// has just fetched need no second look); none for a chat with nothing archived before.
    std::optional<TimeRange> recheckWindow(const RecheckState& state, const CoverageSet& coveredBefore,
                                           const HistoryPager& pager);
    void clusterOverflow(std::int64_t timestamp, std::size_t received) override;
    void fromBoundInclusive() override;
    void reportProgress();
    std::int64_t countNewChatEvents(const std::vector<Message>& messages);
    void finishRun(const HistoryPager& pager);

    Archive& _archive;
    HistorySource& _source;
    const Env& _env;
    int _pageSize;
    ProgressCallback _progress;
    std::function<bool()> _stopRequested;
    std::function<void()> _afterCommit;
    ChatSyncResult _result;
    const HistoryPager* _pager = nullptr;
    Env::TimePoint _started;
    std::atomic<std::int64_t> _messagesNew{0};  // written by the commit worker
    std::atomic<std::int64_t> _messagesRevised{0};
    std::atomic<std::int64_t> _chatEventsNew{0};
    std::atomic<std::int64_t> _messagesDeleted{0};
    std::atomic<std::int64_t> _messagesRestored{0};
    RecheckPlan _recheck;
    std::vector<std::string> _warnings;  // touched by the commit worker only while it runs
    std::unique_ptr<SerialWorker> _committer;
};

}  // namespace okarchive
