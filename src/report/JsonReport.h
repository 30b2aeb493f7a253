#pragma once

#include <string>

#include "stats/ChatStatistics.h"
#include "store/MediaLedger.h"

namespace okarchive {

/// The JSON report (README "Reports"): {"format":"okarchive-report","version":1,"chat_id",...}. Times (since, until,
/// first, last) are epoch ms or null; dates are local to the report's time zone. One line per top-level member.
/// "events" and "attachments_by_type" keep the raw API kinds as keys, most frequent first (ties by name); "media"
/// (last) counts the media of `media` (MessageReader::mediaCounts) saved and missing by type (report/MediaReport.h).
std::string jsonReport(const ChatStatistics& stats, const std::vector<MediaCount>& media = {});

}  // namespace okarchive
