#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "api/GraphClient.h"

namespace okarchive {

/// Post-back summaries: which chats, which periods, when and in which language.
struct SummaryConfig {
    bool enabled = false;
    std::vector<std::string> chats;  ///< empty = every synced chat
    std::string period = "day";      ///< day, week, month, or a duration ("6h", "2s")
    std::string timezone = "UTC";
    std::string at = "09:00";     ///< local time of day to post (day, week, month)
    std::string language = "en";  ///< en or ru
};

/// Everything `serve` needs from the configuration, read once at start and again on SIGHUP (an immutable snapshot:
/// workers never touch the configuration itself).
struct ServiceConfig {
    std::string databasePath;
    std::vector<std::string> chats;  ///< chat ids, or {"all"} (rediscovered each cycle)
    std::chrono::milliseconds interval{15 * 60 * 1000};
    std::map<std::string, std::chrono::milliseconds> intervalOverrides;  ///< sync.interval.chat:ID
    int workers = 2;
    int pageSize = 100;
    GraphClientSettings api;
    double requestsPerSecond = 5;
    SummaryConfig summary;

    std::chrono::milliseconds intervalFor(const std::string& chatId) const {
        const auto it = intervalOverrides.find(chatId);
        return it != intervalOverrides.end() ? it->second : interval;
    }
};

/// Parses a duration: a whole number with a unit, ms, s, m, h or d ("30s", "15m", "1h"); several may be combined
/// ("1h30m"). Throws UsageError naming `key`.
std::chrono::milliseconds parseDuration(const std::string& text, const std::string& key);

}  // namespace okarchive
