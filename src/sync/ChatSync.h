#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/HistoryPager.h"
#include "api/HistorySource.h"
#include "domain/Env.h"
#include "domain/Errors.h"
#include "store/Archive.h"
#include "sync/MediaRunCounts.h"
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
    std::int64_t messagesRevised = 0;
    std::int64_t chatEventsNew = 0;  ///< service messages (joins, leaves, title changes) archived for the first time
    std::int64_t messagesTotal = 0;  ///< in the archive after the run
    std::uint64_t requests = 0;
    double seconds = 0;
    std::vector<std::string> warnings;
    MediaRunCounts media;  ///< what the run did to the chat's media (ChatRun; ChatSync itself downloads nothing)
};

using ProgressCallback = std::function<void(const SyncProgress&)>;

/// Thrown by ChatSync::run when its stop check said so between two pages. Every page fetched before has been
/// committed (with its coverage); the rest is simply not covered yet, as after a crash. A Cancelled from the source
/// (a request abandoned on shutdown) ends the run the same way.
class SyncStopped : public Cancelled {
public:
    using Cancelled::Cancelled;
};

/// Syncs one chat: pages what is new and what is missing (HistoryPager) and commits each page with the coverage it
/// proves (Archive::commitPage). Commits run on a SerialWorker, in order, so page k is written while page k + 1 is
/// fetched; the archive is only touched from that worker during the run. An undecodable message in a page goes to the
/// archive's quarantine with the page (a warning of the run), the rest flows on. Exceptions from the source or the
/// archive propagate; the caller decides what they mean.
class ChatSync : private PageSink {
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
    const ChatSyncResult& result() const { return _result; }

private:
    void commit(std::vector<Message> messages, std::vector<TimeRange> proven) override;
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
    std::vector<std::string> _warnings;  // touched by the commit worker only while it runs
    std::unique_ptr<SerialWorker> _committer;
};

}  // namespace okarchive
