#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/HistorySource.h"
#include "domain/Env.h"
#include "media/MediaConfig.h"
#include "media/MediaFetcher.h"
#include "store/Archive.h"
#include "sync/MediaRunCounts.h"
#include "sync/SerialWorker.h"

namespace okarchive {

/// What the sync needs of the media room: one download (MediaFetcher::fetch) and whether a saved file is still in
/// place (MediaStore::holds). The app wires the real ones; tests fake them.
struct MediaAccess {
    std::function<FetchedMedia(const std::string& url, const std::string& type, const Cancellation& cancel)> fetch;
    std::function<bool(const std::string& sha256Hex, std::int64_t bytes)> holds;
};

/// One process's media downloads: the settings, the media room, and who hears of each outcome (serve's /metrics).
struct MediaPlan {
    MediaConfig config;
    MediaAccess access;
    /// Each outcome recorded; `requested`: it came from a download (not from a policy skip or a reused file).
    std::function<void(const MediaOutcome& outcome, bool requested)> observer = {};
};

/// One chat's media during one run: after each committed page its new ledger entries are downloaded by
/// media.workers threads while paging goes on; finish() then drains the chat's pending entries, refreshes refused
/// signed links through the API (at most 2 fresh links per entry, then expired) and retries transient failures
/// (attempts < media.max_attempts), in bounded rounds. The ledger is written by one thread of its own on `ledger`
/// (an Archive no one else uses meanwhile); `source` is used only by finish(), once paging is over.
/// A stop (`stop` cancelled) ends every download at once; outcomes already known are recorded, no file is partial.
class ChatMedia {
public:
    ChatMedia(Archive& ledger, HistorySource& source, std::string chatId, const MediaPlan& plan,
              const Cancellation& stop, Env& env);
    ~ChatMedia();  ///< stops what is still running (see stop())
    ChatMedia(const ChatMedia&) = delete;
    ChatMedia& operator=(const ChatMedia&) = delete;

    /// A page was committed: look for new entries (non-blocking; from the committing thread).
    void pageCommitted();
    /// After paging: drain, refresh, retry. Throws Cancelled on a stop, StorageError (or the media store's error)
    /// when outcomes cannot be recorded.
    void finish();
    /// Ends the downloads in flight, records the outcomes already known; never throws.
    void stop() noexcept;
    MediaRunCounts counts() const;

private:
    struct Key {
        std::string mid;
        int position = 0;
        auto operator<=>(const Key&) const = default;
    };
    static Key keyOf(const MediaItem& item) { return {item.mid, item.position}; }

    std::size_t refill();  ///< on the ledger thread: new entries to the queue; how many it handled
    bool settleWithoutRequest(const MediaItem& item);  ///< policy skip or reuse (ledger thread)
    void record(const MediaItem& item, MediaOutcome outcome, bool requested);  ///< on the ledger thread
    void settled(const MediaItem& item, MediaState state);                            ///< after recording
    void awaitRefresh(const MediaItem& item);  ///< a refused signed link: after paging, ask the API for a fresh one
    void dispatch(MediaItem item);
    void abandon(const MediaItem& item, std::exception_ptr failure);  ///< no outcome (a stop, or a failure)
    void downloadLoop();
    std::optional<MediaItem> nextDownload();
    void download(MediaItem item);
    MediaOutcome judge(const MediaItem& item, FetchedMedia fetched, bool& refresh) const;
    void onLedger(std::function<void()> task);  ///< runs `task` on the ledger thread and waits for it
    void throwIfCancelledOrFailed();
    void waitIdle();  ///< until every dispatched entry is recorded
    std::size_t drain();
    void refreshAll();
    void refreshLink(MediaItem item);
    std::vector<Message> millisecondNow(std::int64_t timestamp);
    void joinAll();  ///< ends the download threads and waits for the ledger thread's queue

    Archive& _ledger;
    HistorySource& _source;
    std::string _chatId;
    const MediaPlan& _plan;
    Env& _env;
    Cancellation _cancel;  // cancelled by `stop` or by stop()
    Cancellation::Registration _onStop;

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    Cancellation::Registration _onCancelWake;  // wakes waitIdle on a stop
    std::deque<MediaItem> _queue;
    std::set<Key> _busy;   // queued, downloading, or being recorded
    std::set<Key> _tried;  // settled in this round
    std::set<std::string> _busyIdentities;
    std::vector<MediaItem> _refresh;   // refused signed links waiting for a fresh one (after paging)
    std::map<Key, MediaState> _final;  // the state this run left each entry in
    std::int64_t _reused = 0, _bytes = 0;
    bool _refillQueued = false;
    bool _stopping = false;
    std::exception_ptr _failure;

    std::unique_ptr<SerialWorker> _writer;  // the ledger thread
    std::vector<std::thread> _downloaders;  // last: start after everything above exists
};

/// Downloads what the chat's ledger says waits (pending, and failed_transient under media.max_attempts), refreshing
/// refused signed links through `source`, without paging: `okarchive media retry`. Throws as ChatMedia::finish().
MediaRunCounts downloadChatMedia(Archive& ledger, HistorySource& source, const std::string& chatId,
                                 const MediaPlan& plan, const Cancellation& stop, Env& env);

}  // namespace okarchive
