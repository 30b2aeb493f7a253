#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "digest/SummaryCalendar.h"
#include "store/DigestLedger.h"

namespace okarchive {

class Archive;

/// The archive's record of digests (the store's DigestLedger) in the service's terms: periods of the calendar and
/// its clock slack. One per Archive (same thread).
class SummaryLedger {
public:
    using Row = DigestRow;

    explicit SummaryLedger(Archive& archive) : _archive(archive) {}

    /// The exactly-once row of (chat, period) (not a --force one), if any.
    std::optional<Row> find(const std::string& chatId, const SummaryPeriod& period);
    /// Unforced rows of the chat still in 'intent' (interrupted or failed attempts), oldest first.
    std::vector<std::pair<SummaryPeriod, std::string>> pendingIntents(const std::string& chatId);
    /// Writes (or renews, for an existing unforced row) the intent to post `text` now; returns the row id.
    std::int64_t recordIntent(const std::string& chatId, const SummaryPeriod& period, const std::string& text,
                              bool forced, std::int64_t nowMs);
    void recordPosted(std::int64_t id, std::int64_t nowMs);
    void recordFailure(std::int64_t id, const std::string& error);
    /// The archived message of the chat that is the post of the attempt `row`, if any (DigestLedger::findArchivedText
    /// from searchFrom(row) and the attempt's time): its id.
    std::optional<std::int64_t> findArchivedAttempt(const std::string& chatId, const Row& row);
    /// Links posted digests of the chat to their archived messages (digest_messages). Returns how many were tagged.
    int tagArchivedDigests(const std::string& chatId);
    /// Where an attempt's text is looked for in the history: from the newest message archived before it (the
    /// server's clock, however far ours is off), or for an attempt recorded by okarchive < 4, kClockSlackMs before it.
    static std::int64_t searchFrom(const Row& row);
    /// The start (our clock) of the chat's latest successful sync, if any: a sync that started after an attempt and
    /// succeeded has archived the chat's history up to then, so it tells whether the attempt reached the chat.
    std::optional<std::int64_t> latestSyncStart(const std::string& chatId);

    /// For attempts recorded by okarchive < 4 only: the text is looked for from this long before the attempt.
    static constexpr std::int64_t kClockSlackMs = kLegacyDigestClockSlackMs;

private:
    Archive& _archive;
};

}  // namespace okarchive
