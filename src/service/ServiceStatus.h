#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "service/Scheduler.h"

namespace okarchive {

class JsonWriter;

/// What the service knows about its own health, shared by the workers (who record) and the status endpoint (which
/// renders /healthz and /metrics). Thread-safe.
class ServiceStatus {
public:
    /// Upper bounds (seconds) of the okarchive_sync_duration_seconds histogram buckets (+Inf is implied).
    static const std::vector<double>& durationBuckets();

    /// A chat is known (e.g. from the archive at start): `archived` messages, no run yet.
    void setArchived(const std::string& chatId, std::int64_t archived);
    /// A finished sync run. `result` is "ok" or "failed"; `error` is empty when ok.
    void recordRun(const std::string& chatId, const std::string& result, double seconds, std::int64_t archived,
                   std::int64_t finishedAtMs, const std::string& error, const std::vector<std::string>& warnings);
    /// One HTTP exchange with the API: (HTTP status or 0 on a network failure, OK error_code or 0).
    void recordApiRequest(int httpStatus, int errorCode);
    /// The token was refused (empty = fixed). While set, /healthz is 503 and says so.
    void setAuthError(const std::string& error);
    /// Listing the bot's chats (sync.chats = all) failed (empty = the last listing worked). While set, /healthz is
    /// 503 and says so: the service cannot tell which chats it should keep archived.
    void setDiscoveryError(const std::string& error);
    /// A summary could not be posted (empty = the last attempt succeeded).
    void setSummaryError(const std::string& chatId, const std::string& error);
    void forgetChatsBut(const std::vector<std::string>& chatIds);  ///< drops chats no longer synced
    /// One round of serve's dispatcher (planning and dispatching, or waiting while the token is refused).
    void recordDispatcherCycle();

    /// HTTP status (200 or 503) and the JSON body of /healthz. Next runs come from `schedule`.
    std::pair<int, std::string> health(const std::vector<Scheduler::Entry>& schedule, Env::TimePoint steadyNow,
                                       std::int64_t wallNowMs) const;
    /// The Prometheus text exposition of /metrics.
    std::string metrics(std::int64_t archiveBytes) const;

private:
    struct Chat {
        std::int64_t archived = 0;
        std::optional<std::int64_t> lastSuccessMs, lastErrorMs;
        std::string lastResult;  // "" = no run yet
        std::string lastError;
        std::vector<std::string> warnings;
        std::string summaryError;
        std::map<std::string, std::uint64_t> runs;  // by result
    };

    /// One entry of /healthz's "chats" (the caller holds the lock).
    void writeChatHealth(JsonWriter& json, const std::string& id, const Chat& chat,
                         const std::vector<Scheduler::Entry>& schedule, Env::TimePoint steadyNow,
                         std::int64_t wallNowMs) const;

    mutable std::mutex _mutex;
    std::map<std::string, Chat> _chats;
    std::map<std::string, std::uint64_t> _apiRequests;  // by code label
    std::vector<std::uint64_t> _durationCounts = std::vector<std::uint64_t>(durationBuckets().size() + 1, 0);
    double _durationSum = 0;
    std::uint64_t _durationCount = 0;
    std::uint64_t _dispatcherCycles = 0;
    std::string _authError;
    std::string _discoveryError;
};

}  // namespace okarchive
