#pragma once

#include <string>
#include <vector>

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

}  // namespace okarchive
