#include "digest/SummaryLedger.h"

#include "store/Archive.h"

namespace okarchive {

std::optional<SummaryLedger::Row> SummaryLedger::find(const std::string& chatId, const SummaryPeriod& period) {
    return _archive.findDigest(chatId, period.start, period.end);
}

std::vector<std::pair<SummaryPeriod, std::string>> SummaryLedger::pendingIntents(const std::string& chatId) {
    std::vector<std::pair<SummaryPeriod, std::string>> out;
    for (auto& [period, text] : _archive.pendingDigests(chatId))
        out.push_back({{period.start, period.end, std::move(period.label)}, std::move(text)});
    return out;
}

std::int64_t SummaryLedger::recordIntent(const std::string& chatId, const SummaryPeriod& period,
                                         const std::string& text, bool forced, std::int64_t nowMs) {
    return _archive.recordDigestIntent(chatId, {period.start, period.end, period.label}, text, forced, nowMs);
}

void SummaryLedger::recordPosted(std::int64_t id, std::int64_t nowMs) { _archive.recordDigestPosted(id, nowMs); }

void SummaryLedger::recordFailure(std::int64_t id, const std::string& error) {
    _archive.recordDigestFailure(id, error);
}

std::optional<std::int64_t> SummaryLedger::findArchivedAttempt(const std::string& chatId, const Row& row) {
    return _archive.findArchivedText(chatId, row.text, searchFrom(row), row.attemptedAt);
}

std::int64_t SummaryLedger::searchFrom(const Row& row) {
    return row.searchFrom.value_or(row.attemptedAt - kClockSlackMs);
}

std::optional<std::int64_t> SummaryLedger::latestSyncStart(const std::string& chatId) {
    std::optional<std::int64_t> latest;
    for (const auto& run : _archive.syncRuns(chatId))
        if (run.result == "ok" && (!latest || run.startedAtMs > *latest)) latest = run.startedAtMs;
    return latest;
}

int SummaryLedger::tagArchivedDigests(const std::string& chatId) {
    return _archive.tagArchivedDigests(chatId, kClockSlackMs);
}

}  // namespace okarchive
