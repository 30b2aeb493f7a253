#pragma once

#include <string>
#include <vector>

#include "domain/JsonWriter.h"
#include "domain/Locale.h"
#include "store/MediaLedger.h"

namespace okarchive {

/// The report's "media" member: {"saved":N,"saved_bytes":B,"missing":M,"by_type":{"IMAGE":{"saved","saved_bytes",
/// "missing","by_state":{"expired":1,...}},...}}: the media of the report's messages by attachment type (raw API
/// kinds, in the ledger's order), saved files and bytes, and the files not saved with their states (pending,
/// skipped_policy, expired, failed_transient, failed_permanent; only those that occur).
void writeMediaReport(JsonWriter& json, const std::vector<MediaCount>& counts);

/// The HTML report's media section: one row per attachment type (its human name), saved files and their size, and
/// what is missing by state ("2 expired, 1 failed"), or a line saying there is no media in the range.
std::string htmlMediaSection(const std::vector<MediaCount>& counts, Locale locale);

}  // namespace okarchive
