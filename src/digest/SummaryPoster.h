#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "domain/Env.h"
#include "digest/DigestConfig.h"
#include "digest/SummaryCalendar.h"

namespace Poco {
class Logger;
}

namespace okarchive {

class Archive;
class GraphClient;

/// Posts each chat's digest of each closed period exactly once.
///
/// State machine per (chat, period), in summary_posts (SummaryLedger):
///   (none) --record intent, commit--> intent --POST ok--> posted
///   intent --POST failed or crash--> intent; on a later cycle, after a sync that STARTED after the attempt:
///       the exact text is in the chat's archived history --> posted (never posted twice)
///       it is not (the sync proves it was never posted) --> post again (renewed intent)
/// A digest is only composed once a successful sync covers the period's end.
class SummaryPoster {
public:
    enum class Outcome {
        Posted,          ///< posted now
        AlreadyPosted,   ///< the ledger says it was posted before
        FoundInHistory,  ///< an interrupted attempt had posted it: recorded as posted, not posted again
        Unresolved,      ///< an interrupted attempt cannot be judged until a later sync
    };

    SummaryPoster(SummaryConfig config, const Env& env, Poco::Logger& logger);
    void reload(SummaryConfig config);
    /// Called with the chat each time afterSync() posts a digest (set before serving starts).
    void setPostedObserver(std::function<void(const std::string& chatId)> observer) { _onPosted = std::move(observer); }

    /// serve's hook after a successful sync of `chatId` that started at `syncStartedAtMs`. Returns true when the
    /// chat's latest due digest is posted (so an earlier digest error shown in /healthz is resolved).
    bool afterSync(const std::string& chatId, Archive& archive, GraphClient& client, std::int64_t syncStartedAtMs);

    /// The digest of `period` (statistics of it and of the period before it).
    static std::string composeDigest(Archive& archive, const std::string& chatId, const SummaryCalendar& calendar,
                                     const SummaryPeriod& period, const std::string& language);
    /// Exactly-once delivery (serve and `okarchive summary`). `syncStartedAtMs`: start of the latest successful sync of
    /// the chat, if one ran since the archive was opened (needed to judge an interrupted attempt). `forced` posts
    /// again, outside the once-per-period record. Throws ApiError if the POST fails (the intent stays recorded).
    static Outcome deliver(Archive& archive, GraphClient& client, const std::string& chatId,
                           const SummaryPeriod& period, const std::string& text, bool forced, const Env& env,
                           std::optional<std::int64_t> syncStartedAtMs);

private:
    SummaryConfig currentConfig() const;
    bool report(const std::string& chatId, const SummaryPeriod& period,
                Outcome outcome) const;  ///< logs; false while unresolved

    const Env& _env;
    Poco::Logger& _logger;
    mutable std::mutex _mutex;
    SummaryConfig _config;
    std::function<void(const std::string&)> _onPosted;
};

}  // namespace okarchive
