#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "api/GraphClient.h"
#include "digest/DigestConfig.h"
#include "domain/Duration.h"
#include "media/MediaConfig.h"
#include "sync/RecheckPolicy.h"

namespace okarchive {

/// Everything `serve` needs from the configuration, read once at start and again on SIGHUP (an immutable snapshot:
/// workers never touch the configuration itself).
struct ServiceConfig {
    std::string databasePath;
    std::vector<std::string> chats;  ///< chat ids, or {"all"} (rediscovered each cycle)
    std::chrono::milliseconds interval{15 * 60 * 1000};
    std::map<std::string, std::chrono::milliseconds> intervalOverrides;  ///< sync.interval.chat:ID
    int workers = 2;
    int pageSize = 100;
    RecheckSettings recheck;      ///< sync.recheck (per chat too); maxPages = sync.recheck_pages, the budget per turn
    bool includeDeleted = false;  ///< sync.include_deleted
    GraphClientSettings api;
    double requestsPerSecond = 5;
    SummaryConfig summary;
    /// media.*: a reload (SIGHUP) changes download, types and max_attempts; the fetcher's own limits (max_bytes,
    /// timeouts, rate, addresses, workers, directory) are the ones serve started with.
    MediaConfig media;

    std::chrono::milliseconds intervalFor(const std::string& chatId) const {
        const auto it = intervalOverrides.find(chatId);
        return it != intervalOverrides.end() ? it->second : interval;
    }
};

}  // namespace okarchive
