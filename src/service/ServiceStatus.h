#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/Media.h"
#include "service/Scheduler.h"

namespace okarchive {

class JsonWriter;

/// What the service knows about its own health, shared by the workers (who record) and the status endpoint (which
/// renders /healthz and /metrics). Thread-safe.
class ServiceStatus {
public:
    /// Upper bounds (seconds) of the okarchive_sync_duration_seconds histogram buckets (+Inf is implied).
    static const std::vector<double>& durationBuckets();
    /// Every result a sync run can have ("ok", "failed"): okarchive_sync_runs_total shows each, from 0, per chat.
    static const std::vector<std::string>& runResults();

    /// A chat is known (e.g. from the archive at start): `archived` messages, no run yet.
    void setArchived(const std::string& chatId, std::int64_t archived);
    /// A finished sync run. `result` is "ok" or "failed"; `error` is empty when ok.
    void recordRun(const std::string& chatId, const std::string& result, double seconds, std::int64_t archived,
                   std::int64_t finishedAtMs, const std::string& error, const std::vector<std::string>& warnings);
    /// One HTTP exchange with the API: (HTTP status or 0 on a network failure, OK error_code or 0).
    void recordApiRequest(int httpStatus, int errorCode);
    /// One retry of an API request, by reason (ApiAnswer's retryReason: every one of retryReasons() shows from 0).
    void recordApiRetry(const std::string& reason);
    /// A digest was posted into the chat (okarchive_digests_posted_total).
    void recordDigestPosted(const std::string& chatId);
    /// The token was refused (empty = fixed). While set, /healthz is 503 and says so.
    void setAuthError(const std::string& error);
    /// Listing the bot's chats (sync.chats = all) failed (empty = the last listing worked). While set, /healthz is
    /// 503 and says so: the service cannot tell which chats it should keep archived.
    void setDiscoveryError(const std::string& error);
    /// A summary could not be posted (empty = the last attempt succeeded). A non-empty error counts one failed
    /// digest (okarchive_digests_failed_total).
    void setSummaryError(const std::string& chatId, const std::string& error);
    /// The chats synced from now on: others are dropped, new ones are pending (in /healthz, and in /metrics from 0).
    void setChats(const std::vector<std::string>& chatIds);
    /// The chat's media in the ledger, files by state (after each run, and from the archive at start).
    void setMediaFiles(const std::string& chatId, const std::map<MediaState, std::int64_t>& files);
    /// One media outcome recorded. A download (`requested`) counts in okarchive_media_downloads_total by its state,
    /// and its bytes in okarchive_media_bytes_total when saved; a policy skip or a reused file counts in neither.
    void recordMediaOutcome(MediaState state, std::optional<std::int64_t> bytes, bool requested);
    /// One round of serve's dispatcher (planning and dispatching, or waiting while the token is refused).
    void recordDispatcherCycle();

    /// HTTP status (200 or 503) and the JSON body of /healthz. Next runs come from `schedule`.
    std::pair<int, std::string> health(const std::vector<Scheduler::Entry>& schedule, Env::TimePoint steadyNow,
                                       std::int64_t wallNowMs) const;
    /// The Prometheus text exposition of /metrics (promtool check metrics accepts it).
    std::string metrics(std::int64_t archiveBytes) const;

private:
    struct Chat {
        std::int64_t archived = 0;
        std::optional<std::int64_t> lastSuccessMs, lastErrorMs;
        std::optional<double> lastSeconds;  // the last run's duration
        std::string lastResult;             // "" = no run yet
        std::string lastError;
        std::vector<std::string> warnings;
        std::string summaryError;
        std::map<std::string, std::uint64_t> runs;  // by result
        std::uint64_t digestsPosted = 0, digestsFailed = 0;
    };

    /// The families with a chat label (the caller holds the lock).
    void appendChatMetrics(std::string& out) const;
    /// okarchive_media_files, okarchive_media_downloads_total, okarchive_media_bytes_total (the caller holds the lock).
    void appendMediaMetrics(std::string& out) const;
    /// One entry of /healthz's "chats" (the caller holds the lock).
    void writeChatHealth(JsonWriter& json, const std::string& id, const Chat& chat,
                         const std::vector<Scheduler::Entry>& schedule, Env::TimePoint steadyNow,
                         std::int64_t wallNowMs) const;

    mutable std::mutex _mutex;
    std::map<std::string, Chat> _chats;
    std::map<std::string, std::uint64_t> _apiRequests;  // by code label
    std::map<std::string, std::uint64_t> _apiRetries;   // by reason
    std::vector<std::uint64_t> _durationCounts = std::vector<std::uint64_t>(durationBuckets().size() + 1, 0);
    double _durationSum = 0;
    std::uint64_t _durationCount = 0;
    std::uint64_t _dispatcherCycles = 0;
    std::map<std::string, std::map<MediaState, std::int64_t>> _mediaFiles;  // by chat (every chat of the archive)
    std::map<MediaState, std::uint64_t> _mediaDownloads;                    // by result
    std::uint64_t _mediaBytes = 0;
    std::string _authError;
    std::string _discoveryError;
};

}  // namespace okarchive
